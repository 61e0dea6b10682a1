package io.portunus.eventhandlers.bench;

import com.sun.net.httpserver.HttpServer;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;
import io.portunus.core.event.Event;
import io.portunus.eventhandlers.http.HttpEventHandler;
import io.portunus.events.EventBus;
import io.portunus.events.HandlerPipe;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test (issue #4, must-show 5): events/s the pipeline (bus → pipe →
 * sampleevh with grouping → HTTP POST) delivers to a local HTTP receiver, and the delay from
 * emission to receipt. First it measures the receiver alone, so that it is known not to be the
 * bottleneck. Run with {@code bench/events/run.sh [rate/s] [seconds]}.
 */
public final class EventPipelineBench {
    /** Delay histogram in 100 µs buckets, up to 10 s. */
    private static final int BUCKETS = 100_000;
    private static final AtomicLongArray HISTOGRAM = new AtomicLongArray(BUCKETS);
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static final AtomicLong POSTS = new AtomicLong();
    private static final byte[] KEY = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            long now = Clock.SYSTEM.wallMicros();
            count(body, now);
            POSTS.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";

        receiverAlone(url, seconds);
        pipeline(url, rate, seconds);
        receiver.stop(0);
        System.exit(0);
    }

    /** The receiver alone: one client POSTing 100-event arrays back to back, as the handler does. */
    private static void receiverAlone(String url, int seconds) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"emitter\":\"B\",\"type\":1,\"timestamp\":1,\"session_id\":").append(i)
                    .append(",\"event\":{\"name\":\"created\",\"transport\":{\"transport\":\"janus.transport.http\",\"id\":\"1234567890\"}}}");
        }
        byte[] body = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long before = RECEIVED.get();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("receiver alone: %.0f events/s (%.0f POSTs/s of 100 events, one client)%n",
                (RECEIVED.get() - before) / s, (RECEIVED.get() - before) / s / 100);
        client.close();
    }

    private static void pipeline(String url, int rate, int seconds) throws Exception {
        HttpEventHandler handler = new HttpEventHandler();
        HandlerPipe pipe = new HandlerPipe(handler, "Bench", 1 << 18);
        if (!handler.init(JcfgParser.parseString("general: { enabled = true, events = \"all\", grouping = true, backend = \""
                + url + "\" }", "bench"), pipe)) {
            throw new IllegalStateException("handler not enabled");
        }
        pipe.start();
        EventBus bus = new EventBus(true, "Bench", Clock.SYSTEM, false);
        bus.add(pipe);
        for (int i = 0; i < BUCKETS; i++) {
            HISTOGRAM.set(i, 0);
        }
        RECEIVED.set(0);
        POSTS.set(0);
        // Emit in 1 ms ticks at the target rate, from one thread (as a busy core would).
        long perTick = Math.max(1, rate / 1000);
        long emitted = 0;
        long start = System.nanoTime();
        long ticks = seconds * 1000L;
        for (long t = 0; t < ticks; t++) {
            for (int i = 0; i < perTick; i++) {
                bus.emit(Event.SessionEvent.created(++emitted, "janus.transport.http", "1234567890"));
            }
            long next = start + (t + 1) * 1_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        double emitSeconds = (System.nanoTime() - start) / 1e9;
        long drainDeadline = System.nanoTime() + 30_000_000_000L;
        while (RECEIVED.get() + pipe.dropped() < emitted && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("pipeline: target %d events/s for %d s; emitted %d in %.2f s (%.0f/s); delivered %d "
                        + "(%.0f/s over %.2f s incl. drain), dropped %d, %d POSTs (%.1f events per POST)%n",
                rate, seconds, emitted, emitSeconds, emitted / emitSeconds, RECEIVED.get(), RECEIVED.get() / totalSeconds,
                totalSeconds, pipe.dropped(), POSTS.get(), RECEIVED.get() / (double) Math.max(1, POSTS.get()));
        System.out.printf("delay emission → receipt: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                percentile(0.50), percentile(0.99), percentile(0.999), percentile(1.0));
        bus.close(1000);
    }

    /** Counts the events of a POST and records each one's delay, from its timestamp, cheaply. */
    private static void count(byte[] body, long nowMicros) {
        for (int i = 0; i <= body.length - KEY.length; i++) {
            if (body[i] != '"' || !matches(body, i)) {
                continue;
            }
            int j = i + KEY.length;
            long ts = 0;
            while (j < body.length && body[j] >= '0' && body[j] <= '9') {
                ts = ts * 10 + (body[j++] - '0');
            }
            long bucket = Math.max(0, (nowMicros - ts) / 100);
            HISTOGRAM.incrementAndGet((int) Math.min(BUCKETS - 1, bucket));
            RECEIVED.incrementAndGet();
            i = j;
        }
    }

    private static boolean matches(byte[] body, int at) {
        for (int k = 0; k < KEY.length; k++) {
            if (body[at + k] != KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private static double percentile(double p) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += HISTOGRAM.get(i);
        }
        long target = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += HISTOGRAM.get(i);
            if (seen >= target && HISTOGRAM.get(i) > 0) {
                return (i + 1) / 10.0;
            }
        }
        return BUCKETS / 10.0;
    }
}
