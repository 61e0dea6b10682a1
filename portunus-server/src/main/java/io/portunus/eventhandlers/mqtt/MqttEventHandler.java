package io.portunus.eventhandlers.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import io.portunus.net.Threads;
import io.portunus.transports.mqtt.MqttLink;
import io.portunus.transports.mqtt.MqttTransportOptions;
import io.portunus.transports.rabbitmq.BrokerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code janus.eventhandler.mqttevh} (event-handlers.md §4): publishes each event on its own
 * (no grouping) to {@code <topic>/<type>} ({@code /janus/events/sessions}, ...), or to
 * {@code <topic>} with {@code addevent = false}, after adding {@code "eventtype"} with the
 * type's name ({@code Sessions}, ...). MQTT 3.1.1 or 5 (with {@code add_user_properties}),
 * {@code connect_status} on {@code <topic>/status} at each connect, {@code disconnect_status}
 * at shutdown and as the will. The connection is kept on its own thread (100 ms ×1.5 up to
 * 5 s); while it is down a publish fails at once, and the core counts the event as dropped or,
 * with {@code spool = true}, keeps it and sends it again later.
 */
public final class MqttEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.mqttevh";
    private static final Logger LOG = LoggerFactory.getLogger(MqttEventHandler.class);
    static final long FIRST_RETRY_MS = 100;
    /** Reconnect pauses capped low: back within a second of the broker's return (a refused connect is cheap). */
    static final long MAX_RETRY_MS = 500;
    /** How long a publish waits for a connection attempt that is under way. */
    static final long CONNECTING_WAIT_MS = 3_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus MQTT event handler", "The Portunus authors",
            "This event handler forwards events to an MQTT broker.", 1, "0.1.0", List.of("libjanus_mqttevh.so"));

    private HandlerOptions options;
    private MqttLink.Options linkOptions;
    private String topic;
    private boolean addEvent;
    private boolean retain;
    private int qos;
    private byte[] connectStatus;
    private byte[] disconnectStatus;
    private MqttLink.Props props = MqttLink.Props.NONE;
    private long disconnectTimeoutMs;
    private volatile MqttLink link;
    private volatile boolean connecting = true;
    private volatile boolean stopping;
    private final Semaphore lost = new Semaphore(0);
    private final Object connectedSignal = new Object();
    private Thread connector;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext context) {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE);
        if (!options.enabled) {
            return false;
        }
        String url = general.string("url", "tcp://localhost:1883");
        String version = general.string("mqtt_version", "3.1.1");
        if (!List.of("3.1", "3.1.1", "5", "5.0").contains(version)) {
            throw new IllegalArgumentException("unsupported mqtt_version '" + version + "' (3.1, 3.1.1 or 5)");
        }
        topic = general.string("topic", "/janus/events");
        addEvent = general.bool("addevent", true);
        retain = general.bool("retain", false);
        qos = (int) general.integer("qos", 0);
        connectStatus = general.string("connect_status", "{\"event\": \"connected\", \"eventhandler\": \"" + PACKAGE + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        disconnectStatus = general.string("disconnect_status", "{\"event\": \"disconnected\"}").getBytes(StandardCharsets.UTF_8);
        disconnectTimeoutMs = general.integer("disconnect_timeout", 100);
        boolean will = general.bool("will_enabled", false);
        if (version.startsWith("5")) {
            props = new MqttLink.Props(null, null, MqttTransportOptions.pairs(general, "add_user_properties"));
        }
        SSLContext tls = null;
        if (general.bool("tls_enable", false) || url.startsWith("ssl://")) {
            tls = BrokerTls.context(PACKAGE, general.string("tls_cacert", null), general.string("tls_client_cert", null),
                    general.string("tls_client_key", null), general.bool("tls_verify_peer", false));
            if (url.startsWith("tcp://")) {
                url = "ssl://" + url.substring("tcp://".length());
            }
        }
        linkOptions = new MqttLink.Options(url, version, general.string("client_id", "guest"), general.string("username", null),
                general.string("password", null), (int) general.integer("keep_alive_interval", 30),
                general.bool("cleansession", false), (int) general.integer("max_inflight", 10), tls,
                general.bool("tls_verify_hostname", false), will ? topic + "/status" : null, will ? disconnectStatus : null,
                (int) general.integer("will_qos", 0), general.bool("will_retain", true));
        connector = Threads.startDaemon("portunus-evh-mqtt-connect", this::connectLoop);
        return true;
    }

    private void connectLoop() {
        long delay = FIRST_RETRY_MS;
        int failures = 0;
        while (!stopping) {
            MqttLink l = null;
            connecting = true;
            try {
                l = MqttLink.create(linkOptions, new MqttLink.Listener() {
                    @Override
                    public void message(String t, byte[] payload, MqttLink.Props p) {
                    }

                    @Override
                    public void lost(String why, int reasonCode) {
                        if (!stopping) {
                            LOG.warn("{}: connection to {} lost ({}); reconnecting", PACKAGE, linkOptions.url(), why);
                            lost.release();
                        }
                    }
                });
                lost.drainPermits();
                l.connect();
                l.publish(topic + "/status", connectStatus, qos, retain, props, false);
                link = l;
                connecting = false;
                synchronized (connectedSignal) {
                    connectedSignal.notifyAll();
                }
                LOG.info("{}: connected to {}{}", PACKAGE, linkOptions.url(), failures > 0 ? " after " + failures + " failed attempts" : "");
                failures = 0;
                delay = FIRST_RETRY_MS;
                lost.acquire();
                link = null;
                l.close(0);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                link = null;
                connecting = false;
                if (l != null) {
                    l.close(0);
                }
                if (stopping) {
                    return;
                }
                if (failures++ == 0) {
                    LOG.warn("{}: cannot connect to {} ({}); retrying every {} to {} ms", PACKAGE, linkOptions.url(),
                            e.getMessage() == null ? e.toString() : e.getMessage(), FIRST_RETRY_MS, MAX_RETRY_MS);
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Math.min((long) (delay * 1.5), MAX_RETRY_MS);
            }
        }
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        return 1;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws IOException, InterruptedException {
        MqttLink l = connected();
        for (SerializedEvent e : batch) {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(e.json());
            EventType type = EventType.ofBit(e.type());
            event.put("eventtype", type == null ? "Unknown" : type.verboseName());
            String to = addEvent && type != null ? topic + "/" + type.label() : topic;
            try {
                l.publish(to, options.json.format(Json.MAPPER.writeValueAsBytes(event)), qos, retain, props, true);
            } catch (Exception ex) {
                LOG.debug("{}: publish to {} failed: {}", PACKAGE, to, ex.toString());
                throw new IOException("publish to " + to + " failed: " + ex, ex);
            }
        }
    }

    /** The link; waits for an attempt under way (start-up), else throws at once while the broker is away. */
    private MqttLink connected() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECTING_WAIT_MS);
        while (true) {
            MqttLink l = link;
            if (l != null && l.isConnected()) {
                return l;
            }
            if (!connecting || System.nanoTime() > deadline) {
                throw new IOException("not connected to " + linkOptions.url());
            }
            synchronized (connectedSignal) {
                connectedSignal.wait(20);
            }
        }
    }

    /** {@code tweak} with {@code events} (event-handlers.md §4). */
    @Override
    public ObjectNode handleRequest(JsonNode request) {
        ObjectNode invalid = HandlerRequests.checkTweak(request, HandlerRequests.field("events", Kind.STRING));
        if (invalid != null) {
            return invalid;
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        return HandlerRequests.ok();
    }

    @Override
    public void destroy() {
        stopping = true;
        if (connector != null) {
            connector.interrupt();
        }
        MqttLink l = link;
        link = null;
        if (l != null) {
            try {
                if (l.isConnected()) {
                    l.publish(topic + "/status", disconnectStatus, qos, retain, props, true);
                }
            } catch (Exception e) {
                LOG.debug("{}: disconnect status not sent: {}", PACKAGE, e.toString());
            }
            l.close(disconnectTimeoutMs);
        }
    }
}
