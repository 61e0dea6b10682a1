package io.portunus.transports.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.net.Threads;
import io.portunus.transports.JsonFormat;
import io.portunus.transports.Outbox;
import io.portunus.transports.TransportControl;
import io.portunus.transports.rabbitmq.BrokerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;

/**
 * {@code janus.transport.mqtt} (transports.md §4): the Janus API (and optionally the Admin API)
 * over MQTT 3.1, 3.1.1 or 5. Requests arrive on {@code subscribe_topic}; replies and events go
 * to {@code publish_topic}, all as one transport instance. With MQTT 5 a request must carry a
 * string {@code transaction}; its reply goes to the request's response topic (else
 * {@code publish_topic}) with its correlation data, the user properties named in
 * {@code proxy_transaction_user_properties} and those of {@code add_transaction_user_properties}.
 *
 * <p>The broker connection is made on its own thread, retried after 100 ms growing ×1.5 up to
 * 5 s, at start-up and after every loss; one publisher thread sends in order and keeps what
 * it cannot send (bounded, oldest dropped and counted) until the broker is back.
 */
public final class MqttTransport implements Transport, TransportSession {
    public static final String PACKAGE = "janus.transport.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
    static final long FIRST_RETRY_MS = 100;
    /** Reconnect pauses capped low: back within a second of the broker's return (a refused connect is cheap). */
    static final long MAX_RETRY_MS = 500;
    static final int OUTBOX_SIZE = 10_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus MQTT transport", "The Portunus authors",
            "This transport adds MQTT (3.1.1 and 5) support to the Janus API.", 1, "0.0.1",
            List.of("libjanus_mqtt.so"));

    record Outgoing(String topic, byte[] body, int qos, boolean retain, MqttLink.Props props) {
    }

    private TransportContext context;
    private TransportControl control;
    private MqttLink.Options linkOptions;
    private boolean v5;
    private String subscribeTopic;
    private int subscribeQos;
    private String publishTopic;
    private int publishQos;
    private boolean adminEnabled;
    private String adminSubscribeTopic;
    private int adminSubscribeQos;
    private String adminPublishTopic;
    private int adminPublishQos;
    private boolean status;
    private String statusTopic;
    private byte[] connectMessage;
    private byte[] disconnectMessage;
    private int statusQos;
    private boolean statusRetain;
    private long disconnectTimeoutMs;
    private Set<String> proxiedProperties = Set.of();
    private List<String[]> addedProperties = List.of();

    private final Outbox<Outgoing> outbox = new Outbox<>(PACKAGE, OUTBOX_SIZE);
    /** Notified when the broker link comes back, to wake a publisher waiting to resend. */
    private final Object linkChanged = new Object();
    private final Semaphore lost = new Semaphore(0);
    private volatile MqttLink link;
    private volatile boolean stopping;
    private Thread connector;
    private Thread publisher;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean start(TransportContext ctx) {
        try {
            return configureAndConnect(ctx);
        } catch (RuntimeException e) {
            // As Janus: a transport that cannot use its configuration is not loaded; the server still starts.
            LOG.error("MQTT transport not loaded: {}", e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private boolean configureAndConnect(TransportContext ctx) {
        context = ctx;
        ConfigGroup cfg = ctx.config();
        ConfigGroup general = cfg.group("general");
        ConfigGroup admin = cfg.group("admin");
        ConfigGroup statusGroup = cfg.group("status");
        if (!general.bool("enabled", general.bool("enable", false))) {
            return false;
        }
        control = new TransportControl(JsonFormat.of(general.string("json", "compact")), general.bool("events", true));
        String url = general.string("url", "tcp://localhost:1883");
        String version = general.string("mqtt_version", "3.1.1");
        if (!List.of("3.1", "3.1.1", "5", "5.0").contains(version)) {
            throw new IllegalArgumentException(PACKAGE + ": unsupported mqtt_version '" + version + "' (3.1, 3.1.1 or 5)");
        }
        v5 = version.startsWith("5");
        SSLContext tls = null;
        if (general.bool("ssl_enabled", false) || url.startsWith("ssl://")) {
            tls = BrokerTls.context(PACKAGE, general.string("cacertfile", null), general.string("certfile", null),
                    general.string("keyfile", null), general.bool("verify_peer", false));
            if (url.startsWith("tcp://")) {
                url = "ssl://" + url.substring("tcp://".length());
            }
        }
        subscribeTopic = general.string("subscribe_topic", "to-janus");
        subscribeQos = (int) general.integer("subscribe_qos", 1);
        publishTopic = general.string("publish_topic", "from-janus");
        publishQos = (int) general.integer("publish_qos", 1);
        adminEnabled = admin.bool("admin_enabled", false);
        adminSubscribeTopic = admin.string("subscribe_topic", "to-janus-admin");
        adminSubscribeQos = (int) admin.integer("subscribe_qos", 1);
        adminPublishTopic = admin.string("publish_topic", "from-janus-admin");
        adminPublishQos = (int) admin.integer("publish_qos", 1);
        status = statusGroup.bool("enabled", false);
        statusTopic = statusGroup.string("topic", "status");
        String cm = statusGroup.string("connect_message", null);
        String dm = statusGroup.string("disconnect_message", null);
        connectMessage = cm == null ? null : cm.getBytes(StandardCharsets.UTF_8);
        disconnectMessage = dm == null ? null : dm.getBytes(StandardCharsets.UTF_8);
        statusQos = (int) statusGroup.integer("qos", 1);
        statusRetain = statusGroup.bool("retain", false);
        disconnectTimeoutMs = general.integer("disconnect_timeout", 100);
        if (v5) {
            proxiedProperties = new HashSet<>(general.stringList("proxy_transaction_user_properties"));
            addedProperties = MqttTransportOptions.pairs(general, "add_transaction_user_properties");
        }
        String clientId = general.string("client_id", null);
        if (clientId == null || clientId.isEmpty()) {
            clientId = "portunus-" + UUID.randomUUID().toString().substring(0, 8);
        }
        linkOptions = new MqttLink.Options(url, version, clientId, general.string("username", null),
                general.string("password", null), (int) general.integer("keep_alive_interval", 20),
                general.bool("cleansession", false), (int) general.integer("max_inflight", 10), tls, false,
                status && disconnectMessage != null ? statusTopic : null, status ? disconnectMessage : null, statusQos, statusRetain);
        connector = Threads.startDaemon("portunus-mqtt", this::connectLoop);
        publisher = Threads.startDaemon("portunus-mqtt-out", this::publishLoop);
        LOG.info("MQTT transport: connecting to {} (MQTT {}) in the background (requests on '{}'{})", url, version,
                subscribeTopic, adminEnabled ? ", admin requests on '" + adminSubscribeTopic + "'" : "");
        return true;
    }

    private void connectLoop() {
        long delay = FIRST_RETRY_MS;
        int failures = 0;
        while (!stopping) {
            MqttLink l = null;
            try {
                l = MqttLink.create(linkOptions, new MqttLink.Listener() {
                    @Override
                    public void message(String topic, byte[] payload, MqttLink.Props props) {
                        incoming(topic, payload, props);
                    }

                    @Override
                    public void lost(String why, int reasonCode) {
                        onLost(why, reasonCode);
                    }
                });
                lost.drainPermits();
                l.connect();
                l.subscribe(subscribeTopic, subscribeQos);
                if (adminEnabled) {
                    l.subscribe(adminSubscribeTopic, adminSubscribeQos);
                }
                link = l;
                LOG.info("MQTT transport: connected to {}{}", linkOptions.url(), failures > 0 ? " after " + failures + " failed attempts" : "");
                failures = 0;
                delay = FIRST_RETRY_MS;
                event(Json.object().put("event", "connected"));
                if (status && connectMessage != null) {
                    outbox.putBack(List.of(new Outgoing(statusTopic, connectMessage, statusQos, statusRetain, null)));
                }
                synchronized (linkChanged) {
                    linkChanged.notifyAll();
                }
                lost.acquire();
                link = null;
                l.close(0);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                link = null;
                if (l != null) {
                    l.close(0);
                }
                if (stopping) {
                    return;
                }
                int code = MqttLink.reason(e);
                if (failures++ == 0) {
                    LOG.warn("MQTT transport: cannot connect to {} ({}); retrying every {} to {} ms", linkOptions.url(),
                            e.getMessage() == null ? e.toString() : e.getMessage(), FIRST_RETRY_MS, MAX_RETRY_MS);
                } else {
                    LOG.debug("MQTT transport: attempt {} failed: {}", failures, e.toString());
                }
                event(Json.object().put("event", "failed").put("code", code));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Math.min((long) (delay * 1.5), MAX_RETRY_MS);
            }
        }
    }

    private void onLost(String why, int reasonCode) {
        if (stopping) {
            return;
        }
        LOG.warn("MQTT transport: connection to {} lost ({}); reconnecting", linkOptions.url(), why);
        if (reasonCode >= 0) {
            event(Json.object().put("event", "disconnected"));
        }
        event(Json.object().put("event", "reconnecting"));
        lost.release();
    }

    private void event(ObjectNode data) {
        if (control.events() && context.eventsEnabled()) {
            context.notifyEvent(this, data);
        }
    }

    private void incoming(String topic, byte[] payload, MqttLink.Props props) {
        boolean isAdmin = adminEnabled && topic.equals(adminSubscribeTopic);
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            request = null;
        }
        String replyTopic = isAdmin ? adminPublishTopic : publishTopic;
        int replyQos = isAdmin ? adminPublishQos : publishQos;
        MqttLink.Props replyProps = null;
        if (v5) {
            JsonNode tx = request == null ? null : request.get("transaction");
            if (tx == null || !tx.isTextual()) {
                LOG.warn("MQTT transport: dropping an MQTT 5 request without a string transaction");
                return;
            }
            if (props.responseTopic() != null) {
                replyTopic = props.responseTopic();
            }
            List<String[]> user = new ArrayList<>();
            for (String[] kv : props.userProperties()) {
                if (proxiedProperties.contains(kv[0])) {
                    user.add(kv);
                }
            }
            user.addAll(addedProperties);
            replyProps = new MqttLink.Props(null, props.correlationData(), user);
        }
        String to = replyTopic;
        int qos = replyQos;
        MqttLink.Props rp = replyProps;
        if (request == null || !request.isObject()) {
            enqueue(new Outgoing(to, control.json().bytes(Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (isAdmin ? "Admin" : "Janus") + " API request")), qos, false, rp));
            return;
        }
        context.incomingRequest(this, request, isAdmin, reply -> enqueue(new Outgoing(to, control.json().bytes(reply), qos, false, rp)));
    }

    private void enqueue(Outgoing out) {
        outbox.add(out);
    }

    /** Sends in order; a message waits (first in line) while the broker is away or the in-flight window is full. */
    private void publishLoop() {
        while (!stopping) {
            Outgoing out;
            try {
                out = outbox.take();
            } catch (InterruptedException e) {
                return;
            }
            while (!stopping) {
                MqttLink l = link;
                try {
                    if (l == null || !l.isConnected()) {
                        throw new IllegalStateException("not connected");
                    }
                    // Waits for the broker's acknowledgement: a reply handed to a connection that then
                    // drops would otherwise be lost with it (the link is rebuilt on reconnect). If the
                    // wait fails the same message is sent again: at least once, never silently lost.
                    l.publish(out.topic(), out.body(), out.qos(), out.retain(), out.props(), out.qos() > 0);
                    break;
                } catch (Exception e) {
                    long wait = MqttLink.reason(e) == MqttLink.MAX_INFLIGHT ? 2 : 50;
                    try {
                        synchronized (linkChanged) {
                            linkChanged.wait(wait);
                        }
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void sendEvent(ObjectNode event) {
        enqueue(new Outgoing(publishTopic, control.json().bytes(event), publishQos, false, null));
    }

    @Override
    public String transportName() {
        return PACKAGE;
    }

    @Override
    public void stop() {
        stopping = true;
        if (connector != null) {
            connector.interrupt();
            publisher.interrupt();
        }
        MqttLink l = link;
        link = null;
        if (l != null) {
            if (status && disconnectMessage != null && l.isConnected()) {
                try {
                    l.publish(statusTopic, disconnectMessage, statusQos, statusRetain, null, true);
                } catch (Exception e) {
                    LOG.debug("MQTT transport: disconnect status not sent: {}", e.toString());
                }
            }
            l.close(disconnectTimeoutMs);
        }
        try {
            if (connector != null) {
                connector.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean connected() {
        MqttLink l = link;
        return l != null && l.isConnected();
    }

    /** {@code configure} (transports.md §4), and Portunus's own {@code status}. */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, context.eventsEnabled(), verb -> verb.equals("status")
                ? TransportControl.brokerStatus(linkOptions.url(), connected(), outbox) : null);
    }

    @Override
    public boolean servesJanusApi() {
        return linkOptions != null;
    }

    @Override
    public boolean servesAdminApi() {
        return linkOptions != null && adminEnabled;
    }
}
