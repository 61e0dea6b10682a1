package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Janus API session over HTTP, as a VideoRoom user sees it: handles attached to the plugin,
 * synchronous requests answered in {@code success}, asynchronous ones acknowledged and answered
 * by an event that a background long poll collects; and the Admin API's {@code message_plugin}.
 */
final class VideoRoomClient implements AutoCloseable {
    static final String PLUGIN = "janus.plugin.videoroom";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String admin;
    private final String adminSecret;
    final long session;
    /** Every event the long poll brought, in arrival order; guarded by itself. */
    private final List<JsonNode> events = new ArrayList<>();
    private final Thread poller;
    private volatile boolean closed;

    VideoRoomClient(String base, String admin, String adminSecret) throws Exception {
        this.base = base;
        this.admin = admin;
        this.adminSecret = adminSecret;
        JsonNode created = post(base, Json.object().put("janus", "create"));
        assertThat(created.path("janus").asText()).as(created.toString()).isEqualTo("success");
        session = created.at("/data/id").asLong();
        poller = Thread.ofVirtual().start(this::poll);
    }

    JsonNode post(String url, ObjectNode body) throws Exception {
        if (!body.has("transaction")) {
            body.put("transaction", UUID.randomUUID().toString());
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private void poll() {
        while (!closed) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/" + session + "?maxev=10"))
                        .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return;
                }
                JsonNode got = Json.MAPPER.readTree(r.body());
                synchronized (events) {
                    if (got.isArray()) {
                        got.forEach(events::add);
                    } else {
                        events.add(got);
                    }
                    events.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    long attach() throws Exception {
        JsonNode r = post(base + "/" + session, Json.object().put("janus", "attach").put("plugin", PLUGIN));
        assertThat(r.path("janus").asText()).as(r.toString()).isEqualTo("success");
        return r.at("/data/id").asLong();
    }

    JsonNode detach(long handle) throws Exception {
        return post(base + "/" + session + "/" + handle, Json.object().put("janus", "detach"));
    }

    /** The raw reply to a {@code message} with {@code body}. */
    JsonNode message(long handle, ObjectNode body) throws Exception {
        ObjectNode m = Json.object().put("janus", "message");
        m.set("body", body);
        return post(base + "/" + session + "/" + handle, m);
    }

    /** A synchronous request: the {@code plugindata.data} of its {@code success}. */
    JsonNode sync(long handle, ObjectNode body) throws Exception {
        JsonNode r = message(handle, body);
        assertThat(r.path("janus").asText()).as(r.toString()).isEqualTo("success");
        assertThat(r.path("sender").asLong()).isEqualTo(handle);
        assertThat(r.at("/plugindata/plugin").asText()).isEqualTo(PLUGIN);
        return r.at("/plugindata/data");
    }

    /** An asynchronous request: acknowledged without a hint, then the event with its transaction (its data). */
    JsonNode async(long handle, ObjectNode body) throws Exception {
        String tx = UUID.randomUUID().toString();
        ObjectNode m = Json.object().put("janus", "message").put("transaction", tx);
        m.set("body", body);
        JsonNode ack = post(base + "/" + session + "/" + handle, m);
        assertThat(ack.toString()).isEqualTo("{\"janus\":\"ack\",\"session_id\":" + session + ",\"transaction\":\""
                + tx + "\"}");
        JsonNode event = await(e -> tx.equals(e.path("transaction").asText(null)), 5);
        assertThat(event.path("sender").asLong()).isEqualTo(handle);
        return event.at("/plugindata/data");
    }

    /**
     * An asynchronous request with a JSEP: the event's data once acknowledged, else the core's
     * whole refusal ({@code {"janus":"error",...}}), as a client gets one or the other.
     */
    JsonNode asyncWithJsep(long handle, ObjectNode body, ObjectNode jsep) throws Exception {
        String tx = UUID.randomUUID().toString();
        ObjectNode m = Json.object().put("janus", "message").put("transaction", tx);
        m.set("body", body);
        m.set("jsep", jsep);
        JsonNode reply = post(base + "/" + session + "/" + handle, m);
        if (!reply.path("janus").asText().equals("ack")) {
            return reply;
        }
        return await(e -> tx.equals(e.path("transaction").asText(null)), 5).at("/plugindata/data");
    }

    /** The data of the first event without a transaction to {@code handle} that matches. */
    JsonNode pushed(long handle, Predicate<JsonNode> data) throws Exception {
        return await(e -> e.path("sender").asLong() == handle && !e.has("transaction")
                && data.test(e.at("/plugindata/data")), 5).at("/plugindata/data");
    }

    /** Every plugin event without a transaction {@code handle} got so far (their data). */
    List<JsonNode> pushedSoFar(long handle) {
        synchronized (events) {
            return events.stream().filter(e -> e.path("sender").asLong() == handle && !e.has("transaction")
                    && e.has("plugindata")).map(e -> e.at("/plugindata/data")).toList();
        }
    }

    JsonNode await(Predicate<JsonNode> which, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (events) {
            while (true) {
                for (JsonNode e : events) {
                    if (which.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such event within " + seconds + " s; got " + events);
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** Admin API {@code message_plugin} to the VideoRoom: the whole reply. */
    JsonNode adminRaw(ObjectNode request) throws Exception {
        ObjectNode m = Json.object().put("janus", "message_plugin").put("admin_secret", adminSecret).put("plugin", PLUGIN);
        if (request != null) {
            m.set("request", request);
        }
        return post(admin, m);
    }

    /** Admin API {@code message_plugin}: its {@code response}. */
    JsonNode admin(ObjectNode request) throws Exception {
        JsonNode r = adminRaw(request);
        assertThat(r.path("janus").asText()).as(r.toString()).isEqualTo("success");
        return r.path("response");
    }

    /** The Admin API's {@code handle_info} of one of this session's handles: its {@code plugin_specific}. */
    JsonNode pluginSpecific(long handle) throws Exception {
        JsonNode r = post(admin, Json.object().put("janus", "handle_info").put("admin_secret", adminSecret)
                .put("session_id", session).put("handle_id", handle));
        assertThat(r.path("janus").asText()).as(r.toString()).isEqualTo("success");
        return r.at("/info/plugin_specific");
    }

    static ObjectNode request(String name) {
        return Json.object().put("request", name);
    }

    @Override
    public void close() throws Exception {
        closed = true;
        post(base + "/" + session, Json.object().put("janus", "destroy"));
        poller.interrupt();
    }
}
