package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.events.HandlerOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must-show 2: the backend goes away in the middle of a stream of events and comes back.
 * With the spool on, every event arrives, in order; with it off, the events wait in the
 * bounded queue, and the drop counter (what found the queue full) equals the number of missing
 * events exactly. Events carry sequence numbers so that order, gaps and
 * duplicates can be counted. The outage lasts {@code -Dportunus.outageSeconds} (3 s by default
 * to keep the suite short; the 30 s figures in docs/benchmarks.md come from a run with 30).
 */
class BackendOutageTest {
    static final int OUTAGE_SECONDS = Integer.getInteger("portunus.outageSeconds", 3);

    @Test
    void withTheSpoolEveryEventArrivesInOrder() throws Exception {
        Path spool = Files.createTempDirectory("portunus-spool-test");
        Result r = run("spool = true, spool_folder = \"" + spool + "\"");
        // At least once: a batch the backend took just as it went away (its reply lost) is sent
        // again, so at most one batch per outage may arrive twice; nothing may be missing.
        assertThat(r.duplicates).as("only the batch in flight at the outage is re-sent")
                .isLessThanOrEqualTo(HandlerOptions.GROUP_SIZE);
        assertThat(r.distinct).isEqualTo(r.emitted);
        assertThat(r.dropped).isZero();
        System.out.printf("outage %d s, spool on: emitted %d, received %d (duplicates %d), dropped %d, "
                        + "peak spool backlog %d events; RSS %d MiB before, %d MiB after%n", OUTAGE_SECONDS,
                r.emitted, r.distinct, r.duplicates, r.dropped, r.peakBacklog, r.rssBefore >> 10, r.rssAfter >> 10);
    }

    @Test
    void withoutTheSpoolOnlyAFullQueueDropsAndTheCounterEqualsTheMissingEvents() throws Exception {
        // The events wait in the queue while the backend is away (issue #14); what found the
        // 500-event queue full is dropped, and exactly that is missing. How many that is depends
        // on how fast this machine created sessions meanwhile.
        Result r = run("queue_size = 500");
        assertThat(r.distinct + r.dropped).isEqualTo(r.emitted);
        assertThat(r.distinct).as("at least what the queue held survived the outage").isGreaterThanOrEqualTo(Math.min(500, r.emitted));
        System.out.printf("outage %d s, spool off (queue 500): emitted %d, received %d (duplicates %d), dropped %d; "
                        + "RSS %d MiB before, %d MiB after%n", OUTAGE_SECONDS, r.emitted, r.distinct, r.duplicates,
                r.dropped, r.rssBefore >> 10, r.rssAfter >> 10);
    }

    record Result(long emitted, long distinct, long duplicates, long dropped, long peakBacklog, long rssBefore, long rssAfter) {
    }

    private Result run(String extraOptions) throws Exception {
        try (HttpEventReceiver backend = new HttpEventReceiver();
             EventServer server = new EventServer("", "broadcast = true\nsequence_numbers = true",
                     Map.of("janus.eventhandler.sampleevh.jcfg", """
                             general: { enabled = true, events = "sessions", backend = "%s", %s }
                             """.formatted(backend.url(), extraOptions)))) {
            ApiClient api = new ApiClient();
            long rssBefore = rssKiB();
            long cycles = 0;
            long peak = 0;
            long phaseEnd = System.nanoTime() + 1_000_000_000L;
            cycles += stream(api, server, phaseEnd);
            backend.down();
            long outageEnd = System.nanoTime() + OUTAGE_SECONDS * 1_000_000_000L;
            while (System.nanoTime() < outageEnd) {
                cycles += stream(api, server, Math.min(outageEnd, System.nanoTime() + 500_000_000L));
                peak = Math.max(peak, EventHandlerConfigTest.stats(api, server, "janus.eventhandler.sampleevh")
                        .path("spool").path("backlog_events").asLong());
            }
            backend.up();
            cycles += stream(api, server, System.nanoTime() + 1_000_000_000L);
            long emitted = cycles * 2;
            JsonNode stats = drained(api, server, emitted);
            long rssAfter = rssKiB();
            List<JsonNode> got = backend.events.all();
            long previous = -1;
            long duplicates = 0;
            for (JsonNode e : got) {
                long seq = e.get("seq").asLong();
                if (seq <= previous) {
                    duplicates++;
                    assertThat(got.stream().filter(x -> x.get("seq").asLong() == seq).count()).as("out of order").isGreaterThan(1);
                } else {
                    previous = seq;
                }
            }
            return new Result(emitted, got.size() - duplicates, duplicates, stats.path("dropped").asLong(), peak, rssBefore, rssAfter);
        }
    }

    /** Create/destroy cycles as fast as a client can, until {@code until}; returns how many. */
    private static long stream(ApiClient api, EventServer server, long until) throws Exception {
        long n = 0;
        while (System.nanoTime() < until) {
            long s = api.create(server.janus());
            api.post(server.janus() + "/" + s, ApiClient.request("destroy"));
            n++;
        }
        return n;
    }

    /** Waits until every emitted event was delivered or dropped. */
    private static JsonNode drained(ApiClient api, EventServer server, long emitted) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode stats = EventHandlerConfigTest.stats(api, server, "janus.eventhandler.sampleevh");
            if (stats.path("offered").asLong() == emitted
                    && stats.path("delivered").asLong() + stats.path("dropped").asLong() == emitted) {
                return stats;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not drained: " + stats + " of " + emitted);
            }
            Thread.sleep(100);
        }
    }

    private static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
