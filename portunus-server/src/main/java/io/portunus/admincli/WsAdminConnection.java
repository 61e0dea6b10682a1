package io.portunus.admincli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The Admin API over a WebSocket with the janus-admin-protocol subprotocol; replies matched by transaction. */
final class WsAdminConnection implements AdminConnection {
    static final String SUBPROTOCOL = "janus-admin-protocol";
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private final WebSocket socket;
    private final LinkedBlockingQueue<Object> incoming;

    private WsAdminConnection(URI url, Duration timeout, HttpClient client, WebSocket socket, LinkedBlockingQueue<Object> incoming) {
        this.url = url;
        this.timeout = timeout;
        this.client = client;
        this.socket = socket;
        this.incoming = incoming;
    }

    static WsAdminConnection connect(URI url, Duration timeout) throws Unreachable {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        LinkedBlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
        CompletableFuture<WebSocket> opening = client.newWebSocketBuilder().connectTimeout(timeout).subprotocols(SUBPROTOCOL)
                .buildAsync(url, new Listener(incoming));
        try {
            WebSocket socket = opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new WsAdminConnection(url, timeout, client, socket, incoming);
        } catch (TimeoutException e) {
            client.close();
            throw new Unreachable("no WebSocket handshake from " + url + " within " + AdminCli.seconds(timeout));
        } catch (ExecutionException e) {
            client.close();
            throw new Unreachable("cannot connect to " + url + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new Unreachable("interrupted");
        }
    }

    @Override
    public JsonNode send(ObjectNode request) throws Unreachable {
        String transaction = request.path("transaction").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            socket.sendText(request.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            while (true) {
                long left = deadline - System.nanoTime();
                Object next = left <= 0 ? null : incoming.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new Unreachable("no reply from " + url + " within " + AdminCli.seconds(timeout));
                }
                if (next instanceof Throwable closed) {
                    throw new Unreachable("the WebSocket to " + url + " closed: " + closed.getMessage());
                }
                JsonNode reply = AdminCli.JSON.readTree((String) next);
                // Other messages (none expected on the admin protocol) are skipped.
                if (reply != null && reply.isObject() && transaction.equals(reply.path("transaction").asText(null))) {
                    return reply;
                }
                if (reply != null && reply.isObject() && reply.path("janus").asText().equals("error") && !reply.has("transaction")) {
                    return reply;  // errors before the transaction was read carry none (admin-api.md §1)
                }
            }
        } catch (JsonProcessingException e) {
            throw new Unreachable(url + " sent something that is not JSON: is it an Admin API?");
        } catch (TimeoutException e) {
            throw new Unreachable("could not send to " + url + " within " + AdminCli.seconds(timeout));
        } catch (ExecutionException e) {
            throw new Unreachable("the WebSocket to " + url + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
        client.close();
    }

    /** Collects whole text messages; a close or an error is queued as a Throwable. */
    private static final class Listener implements WebSocket.Listener {
        private final LinkedBlockingQueue<Object> incoming;
        private final StringBuilder partial = new StringBuilder();

        Listener(LinkedBlockingQueue<Object> incoming) {
            this.incoming = incoming;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                incoming.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            incoming.add(new IllegalStateException("closed by the server (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            incoming.add(error);
        }
    }
}
