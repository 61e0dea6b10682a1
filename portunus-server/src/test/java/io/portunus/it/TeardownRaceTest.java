package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: a handle torn down right after its offer, while the PeerConnection's sockets are
 * being bound, must not leave them bound. Every teardown path races an EchoTest offer
 * (Admin detach_handle / destroy_session / hangup_webrtc, Janus API detach / destroy / hangup,
 * the WebSocket transport going away, session timeout), several workers at once; after each
 * round the process's UDP sockets, file descriptors and threads are back to their baseline.
 * Before the fix, Admin detach_handle leaked a socket in about half of the tries.
 */
class TeardownRaceTest {
    static final String SECRET = "race-secret";
    static final int TRIES_PER_PATH = 12;
    static final int WORKERS = 4;
    static TestServer server;
    static String offer;

    enum Path_ { ADMIN_DETACH, ADMIN_DESTROY, ADMIN_HANGUP, API_DETACH, API_DESTROY, API_HANGUP, WS_GONE, TIMEOUT }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"\nsession_timeout = 2\n}\nnat: {\nice_enforce_list = \"127.0.0.1\"");
        try (InputStream in = TeardownRaceTest.class.getResourceAsStream("/sdp/chromium-offer.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void socketsFileDescriptorsAndThreadsReturnToBaselineAfterEveryRound() throws Exception {
        round(); // warm-up: event loops, media loops and pools the server starts once
        Baseline base = Baseline.now();
        for (int r = 1; r <= 3; r++) {
            round();
            Baseline after = Baseline.settle(base);
            assertThat(after.udpSockets).as("UDP sockets after round %d (baseline %d)", r, base.udpSockets)
                    .isLessThanOrEqualTo(base.udpSockets);
            assertThat(after.fds).as("file descriptors after round %d (baseline %d)", r, base.fds)
                    .isLessThanOrEqualTo(base.fds);
            assertThat(after.threads).as("threads after round %d (baseline %d)", r, base.threads)
                    .isLessThanOrEqualTo(base.threads);
        }
    }

    /** Every path, TRIES_PER_PATH times, WORKERS at a time; then waits until no session is left. */
    private void round() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> tries = new ArrayList<>();
            for (int i = 0; i < TRIES_PER_PATH; i++) {
                for (Path_ p : Path_.values()) {
                    tries.add(workers.submit(() -> race(http, p)));
                }
            }
            for (Future<?> f : tries) {
                f.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();
            assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (admin(http, "list_sessions", null).path("sessions").size() > 0) {
                assertThat(System.nanoTime()).as("every session gone (timeouts included)").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private Void race(HttpClient http, Path_ path) throws Exception {
        if (path == Path_.WS_GONE) {
            raceTransportGone(http);
            return null;
        }
        String api = server.janus();
        long session = post(http, api, body("create")).path("data").path("id").asLong();
        ObjectNode attach = body("attach");
        attach.put("plugin", "janus.plugin.echotest");
        long handle = post(http, api + "/" + session, attach).path("data").path("id").asLong();
        String handleUrl = api + "/" + session + "/" + handle;
        CompletableFuture<HttpResponse<String>> message = postAsync(http, handleUrl, offerMessage());
        switch (path) {
            case ADMIN_DETACH -> admin(http, "detach_handle", session + "/" + handle);
            case ADMIN_DESTROY -> admin(http, "destroy_session", String.valueOf(session));
            case ADMIN_HANGUP -> admin(http, "hangup_webrtc", session + "/" + handle);
            case API_DETACH -> post(http, handleUrl, body("detach"));
            case API_DESTROY -> post(http, api + "/" + session, body("destroy"));
            case API_HANGUP -> post(http, handleUrl, body("hangup"));
            case TIMEOUT -> { } // left alone: the watchdog destroys it
            default -> throw new IllegalStateException();
        }
        message.get(15, TimeUnit.SECONDS);
        if (path == Path_.ADMIN_HANGUP || path == Path_.API_HANGUP) {
            post(http, api + "/" + session, body("destroy"));
        }
        return null;
    }

    /** Over a WebSocket: create, attach, offer, then the connection is dropped at once. */
    private void raceTransportGone(HttpClient http) throws Exception {
        BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().subprotocols("janus-protocol")
                .buildAsync(URI.create(server.ws()), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                replies.add(Json.MAPPER.readTree(partial.toString()));
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        try {
            ws.sendText(body("create").toString(), true).join();
            long session = replies.poll(15, TimeUnit.SECONDS).path("data").path("id").asLong();
            ObjectNode attach = body("attach");
            attach.put("plugin", "janus.plugin.echotest");
            attach.put("session_id", session);
            ws.sendText(attach.toString(), true).join();
            long handle = replies.poll(15, TimeUnit.SECONDS).path("data").path("id").asLong();
            ObjectNode message = offerMessage();
            message.put("session_id", session);
            message.put("handle_id", handle);
            ws.sendText(message.toString(), true).join();
        } finally {
            ws.abort();
        }
    }

    private ObjectNode offerMessage() {
        ObjectNode m = body("message");
        m.putObject("body").put("audio", true).put("video", true);
        m.putObject("jsep").put("type", "offer").put("sdp", offer);
        return m;
    }

    private static ObjectNode body(String janus) {
        ObjectNode b = Json.object();
        b.put("janus", janus);
        b.put("transaction", UUID.randomUUID().toString());
        return b;
    }

    private static JsonNode admin(HttpClient http, String request, String path) throws Exception {
        ObjectNode b = body(request);
        b.put("admin_secret", SECRET);
        return post(http, server.admin() + (path == null ? "" : "/" + path), b);
    }

    private static JsonNode post(HttpClient http, String url, ObjectNode body) throws Exception {
        return Json.MAPPER.readTree(postAsync(http, url, body).get(15, TimeUnit.SECONDS).body());
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(HttpClient http, String url, ObjectNode body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What this process holds: UDP sockets, all file descriptors, live threads. */
    record Baseline(int udpSockets, int fds, int threads) {
        static Baseline now() throws IOException {
            Set<String> socketInodes = new HashSet<>();
            int fds = 0;
            try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) entries::iterator) {
                    fds++;
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            socketInodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the directory stream's own descriptor, or one closed while listing
                    }
                }
            }
            int udp = 0;
            for (String table : List.of("/proc/self/net/udp", "/proc/self/net/udp6")) {
                for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 9 && socketInodes.contains(cols[9])) {
                        udp++;
                    }
                }
            }
            return new Baseline(udp, fds, ManagementFactory.getThreadMXBean().getThreadCount());
        }

        /** Polls (up to 10 s: closes run on the media loops, idle threads end) until at or below {@code base}. */
        static Baseline settle(Baseline base) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Baseline b = now();
            while (System.nanoTime() < deadline
                    && (b.udpSockets > base.udpSockets || b.fds > base.fds || b.threads > base.threads)) {
                Thread.sleep(100);
                b = now();
            }
            return b;
        }
    }
}
