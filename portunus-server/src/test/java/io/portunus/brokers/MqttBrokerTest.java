package io.portunus.brokers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.eventhandlers.ApiClient;
import io.portunus.eventhandlers.Received;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * janus.transport.mqtt and janus.eventhandler.mqttevh against Debian's mosquitto, started here
 * on loopback with its own directory, with raw Paho clients (MQTT 3.1.1 and 5).
 */
class MqttBrokerTest {
    static Brokers.Mosquitto mosquitto;

    @BeforeAll
    static void startBroker() throws Exception {
        mosquitto = new Brokers.Mosquitto();
        mosquitto.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    static String url(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    static String transport(String prefix, String version, String extra) {
        return """
                general: { enabled = true, url = "%s", mqtt_version = "%s", client_id = "%s-portunus",
                           subscribe_topic = "%s/to-janus", publish_topic = "%s/from-janus" %s }
                admin: { admin_enabled = true, subscribe_topic = "%s/to-janus-admin", publish_topic = "%s/from-janus-admin" }
                """.formatted(url(mosquitto.port), version, prefix, prefix, prefix, extra, prefix, prefix);
    }

    /** A Paho 3.1.1 client on the transport's topics. */
    static final class V3Client extends JanusOverBroker {
        final MqttClient client;
        final String prefix;

        V3Client(int port, String prefix, boolean persistent) throws Exception {
            this.prefix = prefix;
            client = new MqttClient(url(port), prefix + "-client", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(!persistent);
            o.setAutomaticReconnect(persistent);
            o.setMaxReconnectDelay(500);
            client.connect(o);
            client.subscribe(new String[]{prefix + "/from-janus", prefix + "/from-janus-admin"}, new int[]{1, 1},
                    new IMqttMessageListener[]{(t, m) -> deliver(Scenarios.parse(m.getPayload())),
                            (t, m) -> deliver(Scenarios.parse(m.getPayload()))});
        }

        @Override
        void send(ObjectNode request, boolean admin) throws Exception {
            client.publish(prefix + (admin ? "/to-janus-admin" : "/to-janus"), request.toString().getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    void janusApiAndAdminApiOverMqtt311() throws Exception {
        try (BrokerServer server = new BrokerServer("", "", Map.of("janus.transport.mqtt.jcfg", transport("t311", "3.1.1", "")))) {
            ApiClient api = new ApiClient();
            Scenarios.await("MQTT transport connected", 10,
                    () -> Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean());
            try (V3Client c = new V3Client(mosquitto.port, "t311", false)) {
                Scenarios.Session s = Scenarios.janusAndAdmin(c, true);
                assertThat(s.session()).isPositive();
                // query_transport configure, as the spec has it.
                ObjectNode q = ApiClient.request("query_transport").put("transport", "janus.transport.mqtt");
                q.putObject("request").put("request", "configure").put("events", true).put("json", "plain");
                assertThat(api.admin(server.admin(), q).at("/response/result").asInt()).isEqualTo(200);
            }
        }
    }

    @Test
    void mqtt5RepliesGoToTheResponseTopicWithCorrelationDataAndUserProperties() throws Exception {
        String extra = ", proxy_transaction_user_properties = [\"tenant\"], add_transaction_user_properties = ([\"server\", \"portunus\"])";
        try (BrokerServer server = new BrokerServer("", "", Map.of("janus.transport.mqtt.jcfg", transport("t5", "5", extra)))) {
            ApiClient api = new ApiClient();
            Scenarios.await("MQTT transport connected", 10,
                    () -> Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean());
            var client = new org.eclipse.paho.mqttv5.client.MqttClient(url(mosquitto.port), "t5-client",
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
            client.connect();
            client.subscribe(new MqttSubscription[]{
                    new MqttSubscription("t5/replies/#", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(t, m) -> got.add(new Object[]{t, m})});
            try {
                MqttMessage m = new MqttMessage(("{\"janus\":\"create\",\"transaction\":\"tx5\"}").getBytes(StandardCharsets.UTF_8));
                MqttProperties p = new MqttProperties();
                p.setResponseTopic("t5/replies/me");
                p.setCorrelationData("corr-1".getBytes(StandardCharsets.UTF_8));
                p.setUserProperties(List.of(new UserProperty("tenant", "acme"), new UserProperty("other", "x")));
                m.setProperties(p);
                m.setQos(1);
                client.publish("t5/to-janus", m);
                Object[] reply = got.poll(10, TimeUnit.SECONDS);
                assertThat(reply).as("a reply on the response topic").isNotNull();
                assertThat(reply[0]).isEqualTo("t5/replies/me");
                MqttMessage r = (MqttMessage) reply[1];
                JsonNode body = Scenarios.parse(r.getPayload());
                assertThat(body.path("janus").asText()).isEqualTo("success");
                assertThat(body.path("transaction").asText()).isEqualTo("tx5");
                assertThat(new String(r.getProperties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("corr-1");
                assertThat(r.getProperties().getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                        .containsExactly("tenant=acme", "server=portunus");
                // Without a string transaction an MQTT 5 request is dropped, as in Janus.
                MqttMessage bad = new MqttMessage("{\"janus\":\"create\"}".getBytes(StandardCharsets.UTF_8));
                bad.setProperties(p);
                client.publish("t5/to-janus", bad);
                assertThat(got.poll(1, TimeUnit.SECONDS)).isNull();
            } finally {
                client.disconnect();
                client.close();
            }
        }
    }

    /** A subscriber on the handler's topics: every message, with its topic. */
    static final class EventSubscriber implements AutoCloseable {
        final Received events = new Received();
        final List<String> topics = new ArrayList<>();
        final MqttClient client;

        EventSubscriber(int port, String id, String filter, boolean persistent) throws Exception {
            client = new MqttClient(url(port), id, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(!persistent);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(500);
            client.connect(o);
            client.subscribe(filter, 1, (t, m) -> {
                synchronized (topics) {
                    topics.add(t);
                }
                if (!t.endsWith("/status")) {
                    events.add(Scenarios.parse(m.getPayload()));
                }
            });
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    void mqttevhPublishesEveryKindOnItsTopicWithEventtype() throws Exception {
        try (EventSubscriber sub = new EventSubscriber(mosquitto.port, "evh-sub", "/kinds/events/#", false)) {
            Scenarios.Session s;
            try (BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                    "janus.transport.mqtt.jcfg", transport("kinds", "3.1.1", ""),
                    "janus.eventhandler.mqttevh.jcfg", """
                            general: { enabled = true, events = "all", url = "%s", client_id = "kinds-evh", topic = "/kinds/events", qos = 1 }
                            """.formatted(url(mosquitto.port))))) {
                ApiClient api = new ApiClient();
                Scenarios.await("MQTT transport connected", 10,
                        () -> Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean());
                try (V3Client c = new V3Client(mosquitto.port, "kinds", false)) {
                    s = Scenarios.janusAndAdmin(c, true);
                }
                sub.events.await(Received.named(1, "destroyed").and(e -> e.path("session_id").asLong() == s.session()), 1, 10);
            }
            sub.events.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 2, 1, 10);
            List<JsonNode> all = sub.events.all();
            Scenarios.checkEveryKind(all, s, "janus.transport.mqtt", "eventtype");
            assertThat(all).allSatisfy(e -> assertThat(e.path("eventtype").asText()).isEqualTo(switch (e.path("type").asInt()) {
                case 1 -> "Sessions";
                case 2 -> "Handles";
                case 4 -> "External";
                case 64 -> "Plugins";
                case 128 -> "Transports";
                case 256 -> "Core";
                default -> "?";
            }));
            synchronized (sub.topics) {
                assertThat(sub.topics).contains("/kinds/events/status", "/kinds/events/sessions", "/kinds/events/handles",
                        "/kinds/events/external", "/kinds/events/plugins", "/kinds/events/transports", "/kinds/events/core");
            }
        }
    }

    @Test
    void brokerAwayMidStreamNothingIsLostWithOrWithoutSpoolAndDeliveryResumesWithinASecond() throws Exception {
        for (boolean spool : new boolean[]{true, false}) {
            String tag = spool ? "spool" : "nospool";
            long resume = -1;
            int outage = spool ? 1 : Scenarios.OUTAGE_SECONDS;
            Path spoolDir = Files.createTempDirectory("portunus-mqtt-spool");
            try (EventSubscriber sub = new EventSubscriber(mosquitto.port, tag + "-sub", "/" + tag + "/events/sessions", true);
                 BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                         "janus.transport.mqtt.jcfg", transport(tag, "3.1.1", ""),
                         "janus.eventhandler.mqttevh.jcfg", """
                                 general: { enabled = true, events = "sessions", url = "%s", client_id = "%s-evh",
                                            topic = "/%s/events", qos = 1, spool = %s, spool_folder = "%s" }
                                 """.formatted(url(mosquitto.port), tag, tag, spool, spoolDir)));
                 V3Client client = new V3Client(mosquitto.port, tag, true)) {
                ApiClient api = new ApiClient();
                Scenarios.await("MQTT transport connected", 10,
                        () -> Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean());
                List<String> sent = new ArrayList<>();
                int clearErrors = 0;
                List<Long> created;
                try (Scenarios.Stream stream = new Scenarios.Stream(server.janus())) {
                    Thread.sleep(700);
                    // Requests over the transport before, during and after the restart.
                    long restartAt = System.nanoTime() + 200_000_000L;
                    boolean restarted = false;
                    long until = System.nanoTime() + 4_000_000_000L;
                    while (System.nanoTime() < until) {
                        if (!restarted && System.nanoTime() > restartAt) {
                            mosquitto.stop();
                            Thread.sleep(outage * 1_000L);
                            long before = Scenarios.stats(api, server, "janus.eventhandler.mqttevh").path("delivered").asLong();
                            mosquitto.start();
                            resume = Scenarios.resumeMillis(api, server, "janus.eventhandler.mqttevh", before);
                            restarted = true;
                        }
                        ObjectNode info = JanusOverBroker.janus("info").put("transaction", tag + "-" + UUID.randomUUID());
                        try {
                            client.send(info, false);
                            sent.add(info.get("transaction").asText());
                        } catch (Exception e) {
                            clearErrors++; // the client is told at once: not connected / connection lost
                        }
                        Thread.sleep(50);
                    }
                    created = stream.stop();
                }
                Set<Long> expected = new HashSet<>(created);
                long deadline = System.nanoTime() + 30_000_000_000L;
                long dropped = 0;
                while (System.nanoTime() < deadline) {
                    JsonNode st = Scenarios.stats(api, server, "janus.eventhandler.mqttevh");
                    dropped = st.path("dropped").asLong();
                    Set<Long> got = Scenarios.sessionIds(sub.events);
                    if (got.containsAll(expected)) {
                        break;
                    }
                    Thread.sleep(100);
                }
                Set<Long> got = Scenarios.sessionIds(sub.events);
                Set<Long> missing = new HashSet<>(expected);
                missing.removeAll(got);
                System.out.printf("mqtt away %d s (%s): %d events emitted, %d received, %d missing, %d dropped; delivery resumed %d ms after the broker's return; %d requests sent, %d refused at the client; broker restart %d ms%n",
                        outage, tag, expected.size(), got.size(), missing.size(), dropped, resume, sent.size(), clearErrors, mosquitto.lastStartMillis);
                // With or without the spool: the events wait (queue or spool) while the broker is away.
                assertThat(missing).as("nothing lost").isEmpty();
                assertThat(dropped).isZero();
                assertThat(resume).as("delivery resumed within 1 s of the broker's return").isBetween(0L, 1_000L);
                Scenarios.assertCreatedInOrder(sub.events, created);
                // Every request the broker took got its answer: none left in silence.
                List<String> silent = new ArrayList<>();
                for (String tx : sent) {
                    if (client.byTransaction.computeIfAbsent(tx, k -> new LinkedBlockingQueue<>()).poll(15, TimeUnit.SECONDS) == null) {
                        silent.add(tx);
                    }
                }
                assertThat(silent).as("requests without an answer").isEmpty();
                assertThat(sent).isNotEmpty();
            }
        }
    }

    @Test
    void brokerDownAtStartupTheServerStartsAndConnectsWhenItAppears() throws Exception {
        int port = Brokers.freePort();
        try (Scenarios.Logs logs = new Scenarios.Logs();
             BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                     "janus.transport.mqtt.jcfg", """
                             general: { enabled = true, url = "tcp://127.0.0.1:%d", client_id = "late-portunus",
                                        subscribe_topic = "late/to-janus", publish_topic = "late/from-janus" }
                             admin: { admin_enabled = true, subscribe_topic = "late/to-janus-admin", publish_topic = "late/from-janus-admin" }
                             """.formatted(port),
                     "janus.eventhandler.mqttevh.jcfg", """
                             general: { enabled = true, events = "core,sessions", url = "tcp://127.0.0.1:%d", client_id = "late-evh",
                                        topic = "/late/events", qos = 1, spool = true, spool_folder = "%s" }
                             """.formatted(port, Files.createTempDirectory("portunus-late-spool"))))) {
            assertThat(server.startMillis).as("start-up does not wait for the broker").isLessThan(3_000);
            ApiClient api = new ApiClient();
            assertThat(api.post(server.janus(), ApiClient.request("info")).path("janus").asText()).isEqualTo("server_info");
            Scenarios.await("a clear warning", 5, () -> logs.lines().stream()
                    .anyMatch(l -> l.startsWith("WARN MQTT transport: cannot connect to tcp://127.0.0.1:" + port)));
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN janus.eventhandler.mqttevh: cannot connect to tcp://127.0.0.1:" + port));
            assertThat(Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean()).isFalse();
            Thread.sleep(1_000);
            try (Brokers.Mosquitto late = new Brokers.Mosquitto(port)) {
                late.start();
                Scenarios.await("MQTT transport connected", 10,
                        () -> Scenarios.transportStatus(api, server, "janus.transport.mqtt").at("/response/connected").asBoolean());
                try (EventSubscriber sub = new EventSubscriber(port, "late-sub", "/late/events/#", false);
                     V3Client c = new V3Client(port, "late", false)) {
                    Scenarios.janusAndAdmin(c, true);
                    // The spooled core "started" event made it once the broker was there (it was published before
                    // this subscriber existed, so check the counter), and new events flow.
                    Scenarios.await("the start-up event delivered", 15, () ->
                            Scenarios.stats(api, server, "janus.eventhandler.mqttevh").path("delivered").asLong() >= 1);
                    long id = api.create(server.janus());
                    sub.events.await(e -> e.path("session_id").asLong() == id, 1, 10);
                }
                assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO MQTT transport: connected to tcp://127.0.0.1:" + port + " after"));
            }
        }
    }
}
