package io.portunus.brokers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.portunus.core.Json;
import io.portunus.eventhandlers.ApiClient;
import io.portunus.eventhandlers.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * janus.transport.rabbitmq and janus.eventhandler.rabbitmqevh against Debian's rabbitmq-server,
 * started once for the class as a foreground node on loopback with its own data, with the
 * amqp-client library as the raw client.
 */
class RabbitMqBrokerTest {
    static Brokers.RabbitMq rabbit;

    @BeforeAll
    static void startBroker() throws Exception {
        rabbit = new Brokers.RabbitMq();
        rabbit.start();
        System.out.printf("rabbitmq-server node %s up on 127.0.0.1:%d after %d ms%n", rabbit.node, rabbit.port, rabbit.lastStartMillis);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    static ConnectionFactory factory(boolean recover) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(rabbit.port);
        f.setAutomaticRecoveryEnabled(recover);
        f.setNetworkRecoveryInterval(300);
        return f;
    }

    static String transport(String prefix) {
        return """
                general: { enabled = true, host = "127.0.0.1", port = %d, to_janus = "%s-to-janus", from_janus = "%s-from-janus" }
                admin: { admin_enabled = true, to_janus_admin = "%s-to-janus-admin", from_janus_admin = "%s-from-janus-admin" }
                """.formatted(rabbit.port, prefix, prefix, prefix, prefix);
    }

    /** A raw AMQP client: publishes to the request queues with a correlation_id, consumes both reply queues. */
    static final class AmqpClient extends JanusOverBroker {
        final Connection connection;
        final Channel channel;
        final String prefix;
        final List<AMQP.BasicProperties> replyProps = new ArrayList<>();

        AmqpClient(String prefix, boolean recover) throws Exception {
            this.prefix = prefix;
            connection = factory(recover).newConnection();
            channel = connection.createChannel();
            channel.confirmSelect();
            for (String q : List.of("-to-janus", "-from-janus", "-to-janus-admin", "-from-janus-admin")) {
                channel.queueDeclare(prefix + q, false, false, false, null);
            }
            for (String q : List.of("-from-janus", "-from-janus-admin")) {
                channel.basicConsume(prefix + q, true, (tag, d) -> {
                    synchronized (replyProps) {
                        replyProps.add(d.getProperties());
                    }
                    ObjectNode m = Scenarios.parse(d.getBody());
                    if (d.getProperties().getCorrelationId() != null) {
                        m.put("_correlation_id", d.getProperties().getCorrelationId());
                    }
                    deliver(m);
                }, tag -> { });
            }
        }

        @Override
        void send(ObjectNode request, boolean admin) throws Exception {
            AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().correlationId("c-" + request.path("transaction").asText()).build();
            channel.basicPublish("", prefix + (admin ? "-to-janus-admin" : "-to-janus"), p, request.toString().getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000); // "sent" means the broker took it; else the client gets a clear error
        }

        @Override
        public void close() throws Exception {
            connection.abort(1000);
        }
    }

    static void awaitConnected(ApiClient api, BrokerServer server) throws Exception {
        Scenarios.await("RabbitMQ transport connected", 15,
                () -> Scenarios.transportStatus(api, server, "janus.transport.rabbitmq").at("/response/connected").asBoolean());
    }

    @Test
    void janusApiAndAdminApiOverRabbitMq() throws Exception {
        try (BrokerServer server = new BrokerServer("", "", Map.of("janus.transport.rabbitmq.jcfg", transport("api")))) {
            ApiClient api = new ApiClient();
            awaitConnected(api, server);
            try (AmqpClient c = new AmqpClient("api", false)) {
                Scenarios.janusAndAdmin(c, true);
                JsonNode reply = c.request(JanusOverBroker.janus("ping").put("transaction", "tx-ping"), false);
                assertThat(reply.path("janus").asText()).isEqualTo("pong");
                assertThat(reply.path("_correlation_id").asText()).as("the request's correlation_id").isEqualTo("c-tx-ping");
                synchronized (c.replyProps) {
                    assertThat(c.replyProps).allSatisfy(p -> {
                        assertThat(p.getReplyTo()).isEqualTo("Janus");
                        assertThat(p.getContentType()).isEqualTo("application/json");
                    });
                }
            }
            ObjectNode q = ApiClient.request("query_transport").put("transport", "janus.transport.rabbitmq");
            q.putObject("request").put("request", "configure").put("events", true);
            assertThat(api.admin(server.admin(), q).at("/response/result").asInt()).isEqualTo(200);
        }
    }

    /** A consumer of the handler's queue. */
    static final class EventConsumer implements AutoCloseable {
        final Received events = new Received();
        final List<byte[]> messages = new ArrayList<>();
        final Connection connection;

        EventConsumer(String queue, boolean durable) throws Exception {
            connection = factory(true).newConnection();
            Channel ch = connection.createChannel();
            ch.queueDeclare(queue, durable, false, false, null);
            ch.basicConsume(queue, true, (tag, d) -> {
                synchronized (messages) {
                    messages.add(d.getBody());
                }
                JsonNode body = Json.MAPPER.readTree(d.getBody());
                if (body.isArray()) {
                    body.forEach(events::add);
                } else {
                    events.add(body);
                }
            }, tag -> { });
        }

        @Override
        public void close() {
            connection.abort(1000);
        }
    }

    @Test
    void rabbitmqevhPublishesEveryKindGroupedAsArrays() throws Exception {
        try (EventConsumer sub = new EventConsumer("kinds-events", false)) {
            Scenarios.Session s;
            try (BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                    "janus.transport.rabbitmq.jcfg", transport("kinds"),
                    "janus.eventhandler.rabbitmqevh.jcfg", """
                            general: { enabled = true, events = "all", grouping = true, host = "127.0.0.1", port = %d, route_key = "kinds-events" }
                            """.formatted(rabbit.port)))) {
                ApiClient api = new ApiClient();
                awaitConnected(api, server);
                try (AmqpClient c = new AmqpClient("kinds", false)) {
                    s = Scenarios.janusAndAdmin(c, true);
                }
                sub.events.await(Received.named(1, "destroyed").and(e -> e.path("session_id").asLong() == s.session()), 1, 10);
            }
            sub.events.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 2, 1, 10);
            Scenarios.checkEveryKind(sub.events.all(), s, "janus.transport.rabbitmq", null);
            synchronized (sub.messages) {
                assertThat(sub.messages).allSatisfy(m -> assertThat(m[0]).isEqualTo((byte) '['));
            }
        }
    }

    @Test
    void brokerAwayMidStreamNothingIsLostWithOrWithoutSpoolAndDeliveryResumesWithinASecond() throws Exception {
        for (boolean spool : new boolean[]{true, false}) {
            String tag = spool ? "rspool" : "rnospool";
            AtomicLong resume = new AtomicLong(-1);
            int outage = spool ? 0 : Scenarios.OUTAGE_SECONDS;
            String queue = tag + "-events";
            try (EventConsumer sub = new EventConsumer(queue, true);
                 BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                         "janus.transport.rabbitmq.jcfg", transport(tag),
                         "janus.eventhandler.rabbitmqevh.jcfg", """
                                 general: { enabled = true, events = "sessions", grouping = false, host = "127.0.0.1", port = %d,
                                            route_key = "%s", declare_outgoing_queue = false, persistent = true,
                                            spool = %s, spool_folder = "%s" }
                                 """.formatted(rabbit.port, queue, spool, Files.createTempDirectory("portunus-rmq-spool"))));
                 AmqpClient client = new AmqpClient(tag, true)) {
                ApiClient api = new ApiClient();
                awaitConnected(api, server);
                List<String> sent = new ArrayList<>();
                int clearErrors = 0;
                List<Long> created;
                try (Scenarios.Stream stream = new Scenarios.Stream(server.janus())) {
                    Thread.sleep(700);
                    Thread restart = Thread.ofPlatform().start(() -> {
                        try {
                            rabbit.stop();
                            Thread.sleep(outage * 1_000L);
                            ApiClient own = new ApiClient();
                            long before = Scenarios.stats(own, server, "janus.eventhandler.rabbitmqevh").path("delivered").asLong();
                            rabbit.start();
                            resume.set(Scenarios.resumeMillis(own, server, "janus.eventhandler.rabbitmqevh", before));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    long until = System.nanoTime() + 2_000_000_000L;
                    while (restart.isAlive() || System.nanoTime() < until) {
                        ObjectNode info = JanusOverBroker.janus("info").put("transaction", tag + "-" + UUID.randomUUID());
                        try {
                            client.send(info, false);
                            sent.add(info.get("transaction").asText());
                        } catch (Exception e) {
                            clearErrors++; // the client is told at once: connection closed
                        }
                        Thread.sleep(50);
                    }
                    restart.join();
                    Thread.sleep(1_000);
                    created = stream.stop();
                }
                Set<Long> expected = new HashSet<>(created);
                long deadline = System.nanoTime() + 90_000_000_000L; // a broker restart on a loaded machine takes a while to catch up
                long dropped = 0;
                while (System.nanoTime() < deadline) {
                    JsonNode st = Scenarios.stats(api, server, "janus.eventhandler.rabbitmqevh");
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
                System.out.println("rabbitmq handler stats at the end: " + Scenarios.stats(api, server, "janus.eventhandler.rabbitmqevh"));
                System.out.printf("rabbitmq away %d s + restart (%s): %d events emitted, %d received, %d missing, %d dropped; delivery resumed %d ms after the broker's return; %d requests sent, %d refused at the client; broker restart %d ms%n",
                        outage, tag, expected.size(), got.size(), missing.size(), dropped, resume.get(), sent.size(), clearErrors, rabbit.lastStartMillis);
                // With or without the spool: the events wait (queue or spool) while the broker is away.
                assertThat(missing).as("nothing lost").isEmpty();
                assertThat(dropped).isZero();
                assertThat(resume.get()).as("delivery resumed within 1 s of the broker's return").isBetween(0L, 1_000L);
                Scenarios.assertCreatedInOrder(sub.events, created);
                List<String> silent = new ArrayList<>();
                for (String tx : sent) {
                    if (client.byTransaction.computeIfAbsent(tx, k -> new LinkedBlockingQueue<>()).poll(15, TimeUnit.SECONDS) == null) {
                        silent.add(tx);
                    }
                }
                System.out.printf("rabbitmq restart (%s): %d of %d requests the broker took got no answer%n", tag, silent.size(), sent.size());
                assertThat(silent).as("requests without an answer").isEmpty();
            }
        }
    }

    @Test
    void brokerDownAtStartupTheServerStartsAndConnectsWhenItAppears() throws Exception {
        rabbit.stop();
        try (Scenarios.Logs logs = new Scenarios.Logs();
             BrokerServer server = new BrokerServer("", "broadcast = true", Map.of(
                     "janus.transport.rabbitmq.jcfg", transport("late"),
                     "janus.eventhandler.rabbitmqevh.jcfg", """
                             general: { enabled = true, events = "core,sessions", host = "127.0.0.1", port = %d, route_key = "late-events",
                                        spool = true, spool_folder = "%s" }
                             """.formatted(rabbit.port, Files.createTempDirectory("portunus-rmq-late"))))) {
            assertThat(server.startMillis).as("start-up does not wait for the broker").isLessThan(3_000);
            ApiClient api = new ApiClient();
            assertThat(api.post(server.janus(), ApiClient.request("info")).path("janus").asText()).isEqualTo("server_info");
            Scenarios.await("a clear warning", 5, () -> logs.lines().stream()
                    .anyMatch(l -> l.startsWith("WARN RabbitMQ transport: cannot connect to amqp://127.0.0.1:" + rabbit.port)));
            Scenarios.await("a clear warning", 5, () -> logs.lines().stream()
                    .anyMatch(l -> l.startsWith("WARN janus.eventhandler.rabbitmqevh: cannot connect to amqp://127.0.0.1:" + rabbit.port)));
            rabbit.start();
            awaitConnected(api, server);
            try (EventConsumer sub = new EventConsumer("late-events", false); AmqpClient c = new AmqpClient("late", false)) {
                Scenarios.janusAndAdmin(c, true);
                // The core "started" event waited in the spool and arrives now the broker is there.
                sub.events.await(e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 1, 1, 15);
            }
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO RabbitMQ transport: connected to amqp://127.0.0.1:" + rabbit.port + "/ after"));
        } finally {
            if (!Brokers.listening(rabbit.port)) {
                rabbit.start();
            }
        }
    }
}
