package io.portunus.eventhandlers.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.Batches;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code janus.eventhandler.wsevh}: sends events as WebSocket text messages to a backend
 * (event-handlers.md §2), one JSON array per batch when grouping. When the connection is
 * down, delivery waits and reconnects after 100 ms, doubling up to 500 ms (back within a second
 * of the backend's return); a backend that does not read holds the writes, never the count of
 * what was delivered (see {@link #written}); meanwhile events queue
 * up (bounded by the pipe, and by {@code events_cap_on_reconnect} when set, oldest dropped and
 * counted). A batch whose send failed is sent again after the reconnect, so none is skipped.
 */
public final class WsEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.wsevh";
    private static final Logger LOG = LoggerFactory.getLogger(WsEventHandler.class);
    /** Reconnect pauses: capped low, so that delivery resumes within a second of the backend's return. */
    static final long FIRST_RETRY_MS = 100;
    static final long MAX_RETRY_MS = 500;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final long SEND_TIMEOUT_S = 10;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus WebSockets event handler",
            "The Portunus authors", "This event handler forwards events to a WebSocket server.", 1, "0.0.1",
            List.of("libjanus_wsevh.so"));

    private HandlerOptions options;
    private EventHandlerContext context;
    private URI backend;
    private String subprotocol;
    private volatile int capOnReconnect;
    private HttpClient client;
    private volatile WebSocket socket;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext ctx) {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE);
        if (!options.enabled) {
            return false;
        }
        context = ctx;
        String url = general.string("backend", null);
        if (url == null) {
            throw new IllegalArgumentException("missing backend (the ws:// or wss:// URL events are sent to)");
        }
        backend = URI.create(url);
        if (!("ws".equals(backend.getScheme()) || "wss".equals(backend.getScheme())) || backend.getHost() == null) {
            throw new IllegalArgumentException("invalid backend '" + url + "': must be a ws:// or wss:// URL with a host");
        }
        subprotocol = general.string("subprotocol", "janus-event-handlers");
        capOnReconnect = (int) Math.max(0, general.integer("events_cap_on_reconnect", 0));
        client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        return true;
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        // wsevh recomputes the cap per batch (event-handlers.md §0).
        return options.grouping() ? HandlerOptions.GROUP_SIZE : 1;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws InterruptedException {
        String text = options.grouping() && batch.size() > 0
                ? new String(Batches.array(batch, options.json), StandardCharsets.UTF_8) : null;
        long delay = FIRST_RETRY_MS;
        while (true) {
            WebSocket ws = connected(delay);
            try {
                if (text != null) {
                    written(ws.sendText(text, true));
                } else {
                    for (SerializedEvent e : batch) {
                        written(ws.sendText(new String(Batches.single(e, options.json), StandardCharsets.UTF_8), true));
                    }
                }
                return;
            } catch (ExecutionException e) {
                // The reason as text: SLF4J takes a trailing Throwable for a stack trace, not for the {}.
                Throwable why = e.getCause() == null ? e : e.getCause();
                LOG.warn("{}: sending to {} failed ({}), reconnecting", PACKAGE, backend,
                        why.getMessage() == null ? why.getClass().getSimpleName() : why.getClass().getSimpleName() + ": " + why.getMessage());
                disconnect(ws);
            }
        }
    }

    /**
     * Waits until a message is written to the socket. A backend that does not read makes this
     * wait (writes stop while the socket is not writable, and the queue holds the rest) but is
     * not disconnected for it: aborting would throw away what sits in the socket buffers, which
     * was counted as delivered. Only a closed or failed connection ends the wait (ExecutionException),
     * and stopping (InterruptedException).
     */
    private void written(CompletableFuture<WebSocket> send) throws ExecutionException, InterruptedException {
        boolean warned = false;
        while (true) {
            try {
                send.get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
                if (warned) {
                    LOG.info("{}: {} reads again", PACKAGE, backend);
                }
                return;
            } catch (TimeoutException e) {
                if (!warned) {
                    LOG.warn("{}: {} has not read for {} s; events wait in the queue", PACKAGE, backend, SEND_TIMEOUT_S);
                    warned = true;
                }
            }
        }
    }

    /** The open socket, reconnecting with a capped back-off until there is one. */
    private WebSocket connected(long firstDelay) throws InterruptedException {
        long delay = firstDelay;
        int failures = 0;
        while (true) {
            WebSocket ws = socket;
            if (ws != null && !ws.isOutputClosed() && !ws.isInputClosed()) {
                return ws;
            }
            try {
                socket = client.newWebSocketBuilder().subprotocols(subprotocol).connectTimeout(CONNECT_TIMEOUT)
                        .buildAsync(backend, new Listener()).get(CONNECT_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
                LOG.info("{}: connected to {}", PACKAGE, backend);
                return socket;
            } catch (ExecutionException | TimeoutException e) {
                if (failures++ == 0) {
                    LOG.warn("{}: cannot connect to {} ({}); retrying every {}-{} ms", PACKAGE, backend,
                            e.getCause() == null ? e : e.getCause().toString(), FIRST_RETRY_MS, MAX_RETRY_MS);
                }
                int cap = capOnReconnect;
                if (cap > 0) {
                    context.dropOldestBeyond(cap);
                }
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_RETRY_MS);
            }
        }
    }

    private void disconnect(WebSocket ws) {
        if (socket == ws) {
            socket = null;
        }
        ws.abort();
    }

    /** Messages from the backend are ignored, as in Janus; a close makes the next delivery reconnect. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            LOG.info("{}: {} closed the connection ({})", PACKAGE, backend, statusCode);
            if (socket == ws) {
                socket = null;
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            LOG.warn("{}: connection to {} failed: {}", PACKAGE, backend, error.toString());
            if (socket == ws) {
                socket = null;
            }
        }
    }

    @Override
    public ObjectNode handleRequest(JsonNode request) {
        ObjectNode invalid = HandlerRequests.checkTweak(request,
                HandlerRequests.field("events", Kind.STRING),
                HandlerRequests.field("grouping", Kind.BOOLEAN),
                HandlerRequests.field("events_cap_on_reconnect", Kind.POSITIVE_INTEGER));
        if (invalid != null) {
            return invalid;
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        if (request.has("grouping")) {
            options.grouping(request.get("grouping").asBoolean());
        }
        if (request.has("events_cap_on_reconnect")) {
            capOnReconnect = request.get("events_cap_on_reconnect").asInt();
        }
        return HandlerRequests.ok();
    }

    @Override
    public void destroy() {
        WebSocket ws = socket;
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("{}: close: {}", PACKAGE, e.toString());
            }
            ws.abort();
        }
        if (client != null) {
            client.close();
        }
    }
}
