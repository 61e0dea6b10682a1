package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client speaking a Janus subprotocol; received messages queue up for assertions. */
final class WsClientHelper implements AutoCloseable {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket socket;

    WsClientHelper(String url, String subprotocol) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(subprotocol)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                received.add(Json.MAPPER.readTree(partial.toString()));
                            } catch (Exception e) {
                                received.add(Json.NODES.textNode("UNPARSEABLE: " + partial));
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(-1);
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends and returns the next message (the reply, when nothing else is in flight). */
    JsonNode request(ObjectNode body) throws Exception {
        if (!body.has("transaction")) {
            body.put("transaction", UUID.randomUUID().toString());
        }
        sendText(body.toString());
        return next();
    }

    JsonNode request(String janus, long session, long handle) throws Exception {
        ObjectNode body = Json.object();
        body.put("janus", janus);
        if (session > 0) {
            body.put("session_id", session);
        }
        if (handle > 0) {
            body.put("handle_id", handle);
        }
        return request(body);
    }

    JsonNode next() throws InterruptedException {
        return next(5);
    }

    JsonNode next(int seconds) throws InterruptedException {
        JsonNode n = received.poll(seconds, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no WebSocket message within " + seconds + " s");
        }
        return n;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
