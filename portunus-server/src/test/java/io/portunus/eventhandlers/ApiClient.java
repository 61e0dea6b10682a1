package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Janus API / Admin API client over HTTP, plus a WebSocket one, for the event tests. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public JsonNode post(String url, ObjectNode body) throws Exception {
        if (!body.has("transaction")) {
            body.put("transaction", UUID.randomUUID().toString());
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    public static ObjectNode request(String janus) {
        return Json.object().put("janus", janus);
    }

    public long create(String base) throws Exception {
        JsonNode r = post(base, request("create"));
        if (!r.path("janus").asText().equals("success")) {
            throw new AssertionError("create failed: " + r);
        }
        return r.at("/data/id").asLong();
    }

    public long attach(String base, long session, String opaqueId) throws Exception {
        ObjectNode body = request("attach").put("plugin", "janus.plugin.echotest");
        if (opaqueId != null) {
            body.put("opaque_id", opaqueId);
        }
        return post(base + "/" + session, body).at("/data/id").asLong();
    }

    public JsonNode admin(String url, ObjectNode body) throws Exception {
        body.put("admin_secret", EventServer.ADMIN_SECRET);
        return post(url, body);
    }

    /** A Janus API WebSocket connection; replies and events queue up in arrival order. */
    public static final class Ws implements AutoCloseable {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final WebSocket socket;

        public Ws(String url) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("janus-protocol")
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                try {
                                    received.add(Json.MAPPER.readTree(partial.toString()));
                                } catch (Exception e) {
                                    received.add(Json.NODES.textNode(partial.toString()));
                                }
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
        }

        public JsonNode request(ObjectNode body) throws Exception {
            body.put("transaction", UUID.randomUUID().toString());
            socket.sendText(body.toString(), true).join();
            JsonNode r = received.poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no reply to " + body);
            }
            return r;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
