package io.portunus.transports.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;

/**
 * {@code janus.transport.rabbitmq} (transports.md §3): the Janus API (and optionally the Admin
 * API) over an AMQP 0-9-1 broker. Requests are consumed from {@code to_janus}
 * ({@code to_janus_admin}); replies and events are published with routing key
 * {@code from_janus} ({@code from_janus_admin}), {@code reply_to = "Janus"}, JSON content type,
 * and a reply carries its request's {@code correlation_id}. All of it is one transport instance.
 *
 * <p>The broker connection never holds up the server: it is made on its own thread, which
 * retries after 100 ms growing ×1.5 up to 5 s, on start-up and after every loss. What is
 * published while the broker is away waits in a bounded {@link Outbox} and goes out on reconnect.
 * Replies and events are published with publisher confirms: one the broker has not confirmed
 * when the connection drops (or that it nacks) is published again, so a reply is never lost to a
 * broker restart (at least once: a client may see a reply twice, with the same transaction).
 */
public final class RabbitMqTransport implements Transport, TransportSession {
    public static final String PACKAGE = "janus.transport.rabbitmq";
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqTransport.class);
    static final long FIRST_RETRY_MS = 100;
    /** Reconnect pauses capped low: back within a second of the broker's return (a refused connect is cheap). */
    static final long MAX_RETRY_MS = 500;
    static final int OUTBOX_SIZE = 10_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus RabbitMQ transport", "The Portunus authors",
            "This transport adds RabbitMQ (AMQP 0-9-1) support to the Janus API.", 1, "0.0.1",
            List.of("libjanus_rabbitmq.so"));

    /** One direction pair: where requests come from and where answers go. */
    record Route(boolean admin, String queueName, String toJanus, String fromJanus, boolean declareOutgoing,
                 boolean durable, boolean autoDelete, boolean exclusive) {
        /** The queue consumed: {@code queue_name} when set, else {@code to_janus}. */
        String consumed() {
            return queueName != null ? queueName : toJanus;
        }
    }

    record Outgoing(boolean admin, byte[] body, String correlationId) {
    }

    private TransportContext context;
    private TransportControl control;
    private ConnectionFactory factory;
    private String exchange;
    private String exchangeType;
    private Route api;
    private Route admin;
    private String target;
    private final Outbox<Outgoing> outbox = new Outbox<>(PACKAGE, OUTBOX_SIZE);
    private final Semaphore lost = new Semaphore(0);
    private final Object publishLock = new Object();
    /** Published on the current channel and not yet confirmed by the broker, by sequence number. */
    private final NavigableMap<Long, Outgoing> unconfirmed = new TreeMap<>();
    private volatile Connection connection;
    private volatile Channel channel;
    private volatile boolean stopping;
    private Thread connector;

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
            LOG.error("RabbitMQ transport not loaded: {}", e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private boolean configureAndConnect(TransportContext ctx) {
        context = ctx;
        ConfigGroup cfg = ctx.config();
        ConfigGroup general = cfg.group("general");
        ConfigGroup adminGroup = cfg.group("admin");
        if (!general.bool("enabled", false)) {
            return false;
        }
        control = new TransportControl(JsonFormat.of(general.string("json", "compact")), general.bool("events", true));
        factory = new ConnectionFactory();
        String host = general.string("host", "localhost");
        int port = (int) general.integer("port", 5672);
        factory.setHost(host);
        factory.setPort(port);
        factory.setVirtualHost(general.string("vhost", "/"));
        factory.setUsername(general.string("username", "guest"));
        factory.setPassword(general.string("password", "guest"));
        factory.setRequestedHeartbeat((int) Math.max(0, general.integer("heartbeat", 0)));
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(false); // reconnects are ours, the same for start-up and losses
        boolean ssl = general.bool("ssl_enabled", general.bool("ssl_enable", false));
        if (ssl) {
            SSLContext tls = BrokerTls.context(PACKAGE, general.string("ssl_cacert", null), general.string("ssl_cert", null),
                    general.string("ssl_key", null), general.bool("ssl_verify_peer", false));
            factory.useSslProtocol(tls);
            if (general.bool("ssl_verify_hostname", false)) {
                factory.enableHostnameVerification();
            }
        }
        exchange = general.string("janus_exchange", null);
        exchangeType = general.string("janus_exchange_type", "fanout");
        api = new Route(false, general.string("queue_name", null), general.string("to_janus", "to-janus"),
                general.string("from_janus", "from-janus"), general.bool("declare_outgoing_queue", true),
                general.bool("queue_durable", false), general.bool("queue_autodelete", false), general.bool("queue_exclusive", false));
        if (adminGroup.bool("admin_enabled", false)) {
            admin = new Route(true, adminGroup.string("queue_name_admin", null), adminGroup.string("to_janus_admin", "to-janus-admin"),
                    adminGroup.string("from_janus_admin", "from-janus-admin"), adminGroup.bool("declare_outgoing_queue_admin", true),
                    adminGroup.bool("queue_durable_admin", false), adminGroup.bool("queue_autodelete_admin", false),
                    adminGroup.bool("queue_exclusive_admin", false));
        }
        target = (ssl ? "amqps://" : "amqp://") + host + ":" + port + factory.getVirtualHost();
        connector = Threads.startDaemon("portunus-rabbitmq", this::connectLoop);
        LOG.info("RabbitMQ transport: connecting to {} in the background (requests on '{}'{})", target, api.consumed(),
                admin != null ? ", admin requests on '" + admin.consumed() + "'" : "");
        return true;
    }

    private void connectLoop() {
        long delay = FIRST_RETRY_MS;
        int failures = 0;
        while (!stopping) {
            try {
                connect();
                if (failures > 0) {
                    LOG.info("RabbitMQ transport: connected to {} after {} failed attempts", target, failures);
                } else {
                    LOG.info("RabbitMQ transport: connected to {}", target);
                }
                failures = 0;
                delay = FIRST_RETRY_MS;
                if (control.events() && context.eventsEnabled()) {
                    context.notifyEvent(this, Json.object().put("event", "connected"));
                }
                flush();
                lost.acquire();
                lost.drainPermits();
                requeueUnconfirmed();
                if (!stopping) {
                    LOG.warn("RabbitMQ transport: connection to {} lost; reconnecting", target);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                closeQuietly();
                requeueUnconfirmed();
                if (stopping) {
                    return;
                }
                if (failures++ == 0) {
                    LOG.warn("RabbitMQ transport: cannot connect to {} ({}); retrying every {} to {} ms", target,
                            e.getMessage() == null ? e.toString() : e.getMessage(), FIRST_RETRY_MS, MAX_RETRY_MS);
                } else {
                    LOG.debug("RabbitMQ transport: attempt {} to {} failed: {}", failures, target, e.toString());
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

    private void connect() throws Exception {
        Connection conn = factory.newConnection("portunus " + PACKAGE);
        connection = conn;
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        ch.addConfirmListener((seq, multiple) -> confirmed(ch, seq, multiple, false),
                (seq, multiple) -> confirmed(ch, seq, multiple, true));
        if (exchange != null) {
            ch.exchangeDeclare(exchange, exchangeType, false, false, false, null);
        }
        declare(ch, api);
        if (admin != null) {
            declare(ch, admin);
        }
        conn.addShutdownListener(cause -> {
            if (connection == conn) { // not a half-made connection given up on in connectLoop
                channel = null;
                lost.release();
            }
        });
        channel = ch;
        consume(ch, api);
        if (admin != null) {
            consume(ch, admin);
        }
    }

    private void declare(Channel ch, Route r) throws IOException {
        ch.queueDeclare(r.consumed(), r.durable(), r.exclusive(), r.autoDelete(), null);
        if (exchange != null && r.queueName() != null && ("topic".equals(exchangeType) || "direct".equals(exchangeType))) {
            ch.queueBind(r.queueName(), exchange, r.toJanus());
        }
        if (r.declareOutgoing()) {
            ch.queueDeclare(r.fromJanus(), r.durable(), r.exclusive(), r.autoDelete(), null);
        }
    }

    private void consume(Channel ch, Route r) throws IOException {
        ch.basicConsume(r.consumed(), true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                incoming(r.admin(), props.getCorrelationId(), body);
            }
        });
    }

    private void incoming(boolean isAdmin, String correlationId, byte[] body) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            publish(isAdmin, Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "Invalid " + (isAdmin ? "Admin" : "Janus") + " API request"), correlationId);
            return;
        }
        context.incomingRequest(this, request, isAdmin, reply -> publish(isAdmin, reply, correlationId));
    }

    private void publish(boolean isAdmin, ObjectNode message, String correlationId) {
        Outgoing out = new Outgoing(isAdmin, control.json().bytes(message), correlationId);
        synchronized (publishLock) {
            if (outbox.size() > 0 || !send(out)) {
                outbox.add(out);
            }
        }
    }

    /** Publishes now; false when the broker is away. Call with {@link #publishLock} held. */
    private boolean send(Outgoing out) {
        Channel ch = channel;
        if (ch == null || !ch.isOpen()) {
            return false;
        }
        Route r = out.admin() ? admin : api;
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .replyTo("Janus").contentType("application/json").correlationId(out.correlationId()).build();
        try {
            long seq = ch.getNextPublishSeqNo();
            ch.basicPublish(exchange == null ? "" : exchange, r.fromJanus(), props, out.body());
            unconfirmed.put(seq, out);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("RabbitMQ transport: publish failed ({}), kept for the reconnect", e.toString());
            return false;
        }
    }

    /** The broker confirmed (or refused: nack) what was published up to {@code seq}. */
    private void confirmed(Channel ch, long seq, boolean multiple, boolean nack) {
        synchronized (publishLock) {
            if (ch != channel) {
                return; // a channel already given up on: its messages were put back
            }
            var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
            List<Outgoing> refused = nack ? new ArrayList<>(done.values()) : List.of();
            done.clear();
            if (!refused.isEmpty()) {
                LOG.warn("RabbitMQ transport: the broker refused {} messages; publishing them again", refused.size());
                outbox.putBack(refused);
                flush();
            }
        }
    }

    /** The connection is gone: what it did not confirm goes back first in the outbox. */
    private void requeueUnconfirmed() {
        synchronized (publishLock) {
            if (!unconfirmed.isEmpty()) {
                LOG.info("RabbitMQ transport: {} messages not confirmed before the connection dropped; kept for the reconnect",
                        unconfirmed.size());
                outbox.putBack(new ArrayList<>(unconfirmed.values()));
                unconfirmed.clear();
            }
        }
    }

    private void flush() {
        synchronized (publishLock) {
            List<Outgoing> waiting = outbox.drain();
            if (!waiting.isEmpty()) {
                LOG.info("RabbitMQ transport: publishing {} messages kept while the broker was away", waiting.size());
            }
            for (int i = 0; i < waiting.size(); i++) {
                if (!send(waiting.get(i))) {
                    outbox.putBack(waiting.subList(i, waiting.size()));
                    return;
                }
            }
        }
    }

    private void closeQuietly() {
        channel = null;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.abort(1_000);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void sendEvent(ObjectNode event) {
        publish(false, event, null);
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
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close(1_000);
            } catch (IOException | RuntimeException e) {
                c.abort(500);
            }
        }
        connection = null;
        channel = null;
        if (connector != null) {
            try {
                connector.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the broker connection is up (for tests and {@code query_transport}). */
    public boolean connected() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    /** {@code configure} (transports.md §3), and Portunus's own {@code status}. */
    @Override
    public ObjectNode query(ObjectNode request) {
        return control.query(request, context.eventsEnabled(), verb -> verb.equals("status")
                ? TransportControl.brokerStatus(target, connected(), outbox) : null);
    }

    @Override
    public boolean servesJanusApi() {
        return api != null;
    }

    @Override
    public boolean servesAdminApi() {
        return admin != null;
    }
}
