package io.portunus.eventhandlers.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.Batches;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import io.portunus.transports.rabbitmq.BrokerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code janus.eventhandler.rabbitmqevh} (event-handlers.md §3): publishes events to a RabbitMQ
 * exchange (the default one unless {@code exchange} is set) with routing key {@code route_key}
 * and {@code content_type = application/json}, one JSON array of up to 100 per message when
 * grouping. Portunus waits for the broker's publisher confirm, so a batch counts as delivered
 * only once the broker has it; a failed publish throws, and the core counts the batch as
 * dropped or, with {@code spool = true}, keeps it and sends it again after the reconnect.
 * The connection is made (again) on the handler's own thread when a batch needs it; only
 * the handler's queue waits. Portunus's own {@code persistent = true} publishes with
 * delivery mode 2, for durable queues that must survive a broker restart.
 */
public final class RabbitMqEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.rabbitmqevh";
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqEventHandler.class);
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus RabbitMQ event handler", "The Portunus authors",
            "This event handler forwards events to a RabbitMQ exchange.", 1, "0.0.1", List.of("libjanus_rabbitmqevh.so"));

    private HandlerOptions options;
    private int maxBatch;
    private ConnectionFactory factory;
    private String target;
    private String routeKey;
    private String exchange;
    private String exchangeType;
    private boolean declareQueue;
    private AMQP.BasicProperties properties;
    private Connection connection;
    private Channel channel;
    private int failures;

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
        routeKey = general.string("route_key", null);
        if (routeKey == null || routeKey.isEmpty()) {
            throw new IllegalArgumentException("missing route_key (the routing key events are published with)");
        }
        exchange = general.string("exchange", null);
        exchangeType = general.string("exchange_type", "fanout");
        declareQueue = general.bool("declare_outgoing_queue", true);
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
        factory.setAutomaticRecoveryEnabled(false);
        boolean ssl = general.bool("ssl_enable", general.bool("ssl_enabled", false));
        if (ssl) {
            factory.useSslProtocol(BrokerTls.context(PACKAGE, general.string("ssl_cacert", null), general.string("ssl_cert", null),
                    general.string("ssl_key", null), general.bool("ssl_verify_peer", false)));
            if (general.bool("ssl_verify_hostname", false)) {
                factory.enableHostnameVerification();
            }
        }
        AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder().contentType("application/json");
        if (general.bool("persistent", false)) {
            props.deliveryMode(2);
        }
        properties = props.build();
        target = (ssl ? "amqps://" : "amqp://") + host + ":" + port + factory.getVirtualHost()
                + " (exchange '" + (exchange == null ? "" : exchange) + "', routing key '" + routeKey + "')";
        // As Janus, the batch cap is fixed at start; a tweak of grouping only changes array vs object.
        maxBatch = options.grouping() ? HandlerOptions.GROUP_SIZE : 1;
        return true;
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws IOException, InterruptedException {
        Channel ch = channel();
        try {
            if (options.grouping()) {
                ch.basicPublish(exchange == null ? "" : exchange, routeKey, properties, Batches.array(batch, options.json));
            } else {
                for (SerializedEvent e : batch) {
                    ch.basicPublish(exchange == null ? "" : exchange, routeKey, properties, Batches.single(e, options.json));
                }
            }
            ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("{}: publishing {} events to {} failed: {}", PACKAGE, batch.size(), target, e.toString());
            close();
            throw new IOException("publish failed: " + e, e);
        }
    }

    /** The open channel, connecting first when there is none; throws when the broker cannot be reached. */
    private Channel channel() throws IOException {
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        close();
        try {
            connection = factory.newConnection("portunus " + PACKAGE);
            ch = connection.createChannel();
            if (exchange != null) {
                ch.exchangeDeclare(exchange, exchangeType, false, false, false, null);
            }
            if (declareQueue) {
                ch.queueDeclare(routeKey, false, false, false, null);
            }
            ch.confirmSelect();
            channel = ch;
            LOG.info("{}: connected to {}{}", PACKAGE, target, failures > 0 ? " after " + failures + " failed attempts" : "");
            failures = 0;
            return ch;
        } catch (Exception e) {
            close();
            if (failures++ == 0) {
                LOG.warn("{}: cannot connect to {} ({}); trying again with the next events", PACKAGE, target,
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
            throw new IOException("cannot connect to " + target + ": " + e, e);
        }
    }

    private void close() {
        Connection c = connection;
        connection = null;
        channel = null;
        if (c != null) {
            c.abort(1_000);
        }
    }

    /** {@code tweak} with {@code events} and {@code grouping} (event-handlers.md §3). */
    @Override
    public ObjectNode handleRequest(JsonNode request) {
        ObjectNode invalid = HandlerRequests.checkTweak(request,
                HandlerRequests.field("events", Kind.STRING),
                HandlerRequests.field("grouping", Kind.BOOLEAN));
        if (invalid != null) {
            return invalid;
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        if (request.has("grouping")) {
            options.grouping(request.get("grouping").asBoolean());
        }
        return HandlerRequests.ok();
    }

    @Override
    public void destroy() {
        Connection c = connection;
        connection = null;
        channel = null;
        if (c != null) {
            try {
                c.close(1_000);
            } catch (IOException | RuntimeException e) {
                c.abort(500);
            }
        }
    }
}
