package io.portunus.eventhandlers.nanomsg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.Batches;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import io.portunus.net.EventLoops;
import io.portunus.net.sp.SpAddress;
import io.portunus.net.sp.SpSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code janus.eventhandler.nanomsgevh} (event-handlers.md §5): publishes events on an NN_PUB
 * socket, connected (default) or bound ({@code mode}) on a {@code tcp://} or {@code ipc://}
 * address; subscribers (NN_SUB, e.g. {@code nanocat --sub}) get each batch as one message,
 * a JSON array when grouping. Unlike nanomsg, which drops what nobody is subscribed to, a
 * batch waits up to {@link #WAIT_FOR_SUBSCRIBER_MS} for a subscriber; then it is given up and
 * the core's pipe counts it dropped (or keeps it, with {@code spool = true}).
 */
public final class NanomsgEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.nanomsgevh";
    private static final Logger LOG = LoggerFactory.getLogger(NanomsgEventHandler.class);
    static final long WAIT_FOR_SUBSCRIBER_MS = 5_000;
    private static final long WRITE_TIMEOUT_MS = 10_000;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus Nanomsg event handler", "The Portunus authors",
            "This event handler publishes events on a Nanomsg NN_PUB socket.", 1, "0.0.1",
            List.of("libjanus_nanomsgevh.so"));

    private HandlerOptions options;
    private int maxBatch;
    private EventLoops loops;
    private SpSocket socket;
    private final Object subscribers = new Object();

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext context) throws Exception {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE);
        if (!options.enabled) {
            return false;
        }
        String address = general.string("address", null);
        if (address == null) {
            throw new IllegalArgumentException("missing address (e.g. ipc:///tmp/janusevh.ipc)");
        }
        SpAddress where = SpAddress.parse(address);
        String mode = general.string("mode", "connect").toLowerCase(Locale.ROOT);
        if (!mode.equals("bind") && !mode.equals("connect")) {
            throw new IllegalArgumentException("invalid mode '" + mode + "' (bind or connect)");
        }
        maxBatch = options.grouping() ? HandlerOptions.GROUP_SIZE : 1;
        // The handler has its own single network thread: events never touch the API's I/O threads.
        loops = new EventLoops(1);
        socket = SpSocket.pub(loops, PACKAGE, new SpSocket.Listener() {
            @Override
            public void message(byte[] message) {
                // Subscribers have nothing to say on NN_PUB; ignored as nanomsg does.
            }

            @Override
            public void peerUp(Channel peer) {
                LOG.info("{}: subscriber connected on {}", PACKAGE, where);
                synchronized (subscribers) {
                    subscribers.notifyAll();
                }
            }
        });
        try {
            if (mode.equals("bind")) {
                socket.bind(where);
            } else {
                socket.connect(where);
            }
        } catch (Exception e) {
            destroy();
            throw e;
        }
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
        awaitSubscriber();
        if (options.grouping()) {
            publish(Batches.array(batch, options.json));
        } else {
            for (SerializedEvent e : batch) {
                publish(Batches.single(e, options.json));
            }
        }
    }

    private void awaitSubscriber() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_FOR_SUBSCRIBER_MS);
        synchronized (subscribers) {
            while (socket.peers() == 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("no subscriber on " + socket.address() + " for " + WAIT_FOR_SUBSCRIBER_MS + " ms");
                }
                subscribers.wait(Math.min(left, 100));
            }
        }
    }

    private void publish(byte[] json) throws IOException, InterruptedException {
        List<ChannelFuture> writes = socket.send(json);
        boolean sent = false;
        for (ChannelFuture f : writes) {
            if (f.await(WRITE_TIMEOUT_MS) && f.isSuccess()) {
                sent = true;
            }
        }
        if (!sent) {
            throw new IOException("no subscriber on " + socket.address() + " took the message");
        }
    }

    /** {@code tweak}: {@code events} and {@code grouping} (event-handlers.md §5). */
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
        if (socket != null) {
            socket.close();
        }
        if (loops != null) {
            loops.close();
        }
    }
}
