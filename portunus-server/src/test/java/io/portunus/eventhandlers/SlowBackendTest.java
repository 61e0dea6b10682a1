package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must-show 3: a backend that takes 1 s per POST does not slow the client API. The proof is
 * causal, not timed: 100 create/destroy cycles complete while the backend has finished at
 * most a few POSTs, with the events waiting in the handler's queue, none dropped. The
 * latencies with and without the slow backend are printed for the record (not asserted).
 */
class SlowBackendTest {
    static final int CYCLES = 100;

    @Test
    void aOneSecondBackendDoesNotHoldTheApi() throws Exception {
        long[] fast;
        try (HttpEventReceiver backend = new HttpEventReceiver(); EventServer server = server(backend)) {
            fast = cycles(server);
        }
        try (HttpEventReceiver backend = new HttpEventReceiver(); EventServer server = server(backend)) {
            backend.delayMs = 1_000;
            long[] slow = cycles(server);
            int postsDone = backend.posts.size();
            assertThat(postsDone).as("the API did not wait for the backend").isLessThan(CYCLES / 10);
            JsonNode stats = EventHandlerConfigTest.stats(new ApiClient(), server, "janus.eventhandler.sampleevh");
            assertThat(stats.path("queued").asLong()).as("events wait in the handler's queue").isPositive();
            assertThat(stats.path("dropped").asLong()).isZero();
            System.out.printf("create+destroy latency over %d cycles: backend instant p50 %.2f ms p99 %.2f ms; "
                            + "backend 1 s/POST p50 %.2f ms p99 %.2f ms (%d POSTs done meanwhile)%n", CYCLES,
                    pct(fast, 50), pct(fast, 99), pct(slow, 50), pct(slow, 99), postsDone);
        }
    }

    private static EventServer server(HttpEventReceiver backend) throws Exception {
        // grouping off: one POST per event, the worst case for a slow backend.
        return new EventServer("", "broadcast = true", Map.of("janus.eventhandler.sampleevh.jcfg", """
                general: { enabled = true, events = "all", grouping = false, backend = "%s" }
                """.formatted(backend.url())));
    }

    /** Nanoseconds per create+destroy pair, sorted. */
    private static long[] cycles(EventServer server) throws Exception {
        ApiClient api = new ApiClient();
        api.create(server.janus()); // warm-up connection
        long[] took = new long[CYCLES];
        for (int i = 0; i < CYCLES; i++) {
            long t0 = System.nanoTime();
            long s = api.create(server.janus());
            JsonNode r = api.post(server.janus() + "/" + s, ApiClient.request("destroy"));
            took[i] = System.nanoTime() - t0;
            assertThat(r.path("janus").asText()).isEqualTo("success");
        }
        Arrays.sort(took);
        return took;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
