package io.portunus.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;
import io.portunus.core.Json;
import io.portunus.core.event.Event;
import io.portunus.eventhandlers.kafka.KafkaEventHandler;
import io.portunus.events.EventBus;
import io.portunus.events.HandlerPipe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test (issue #21, must-show 5): events/s from one instance's pipeline (bus →
 * pipe → kafkaevh → Kafka's producer) to a real broker, and the delay from emission to Kafka's
 * acknowledgement, taken from the producer's delivery reports (the handler's {@code status}).
 * The count is checked against the topic's end offsets. Run with {@code bench/kafka/run.sh}.
 *
 * <p>Arguments: bootstrap, target rate (events/s), seconds, extra kafkaevh options.
 */
public final class KafkaEventBench {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String extra = args.length > 3 ? args[3] : "";
        String topic = "bench-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        KafkaEventHandler handler = new KafkaEventHandler();
        HandlerPipe pipe = new HandlerPipe(handler, "Bench", 1 << 18);
        String config = "general: { enabled = true, events = \"all\", bootstrap = \"" + bootstrap + "\", topic = \"" + topic
                + "\" " + (extra.isBlank() ? "" : ", " + extra) + " }";
        if (!handler.init(JcfgParser.parseString(config, "bench"), pipe)) {
            throw new IllegalStateException("handler not enabled");
        }
        pipe.start();
        EventBus bus = new EventBus(true, "Bench", Clock.SYSTEM, false);
        bus.add(pipe);

        // Warm-up: 2 s at a tenth of the rate, then the delays start again.
        run(bus, Math.max(1000, rate / 10), 2, 0);
        awaitDrained(pipe, 30);
        handler.handleRequest(Json.MAPPER.readTree("{\"request\":\"status\",\"reset\":true}"));
        long deliveredBefore = pipe.delivered();

        long start = System.nanoTime();
        long emitted = run(bus, rate, seconds, 1_000_000);
        double emitSeconds = (System.nanoTime() - start) / 1e9;
        awaitDrained(pipe, 60);
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        long delivered = pipe.delivered() - deliveredBefore;
        JsonNode status = handler.handleRequest(Json.MAPPER.readTree("{\"request\":\"status\"}"));
        long inTopic = endOffsets(bootstrap, topic);
        System.out.printf("kafka: %s, target %d events/s for %d s; emitted %d in %.2f s (%.0f/s); acknowledged %d "
                        + "(%.0f/s over %.2f s incl. drain), dropped %d, resent %d; records in the topic %d (incl. warm-up)%n",
                extra.isBlank() ? "defaults" : extra, rate, seconds, emitted, emitSeconds, emitted / emitSeconds, delivered,
                delivered / totalSeconds, totalSeconds, pipe.dropped(), status.path("resent").asLong(), inTopic);
        JsonNode d = status.path("ack_delay");
        System.out.printf("delay emission -> ack: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (%d events)%n",
                d.path("p50_us").asLong() / 1000.0, d.path("p99_us").asLong() / 1000.0, d.path("p999_us").asLong() / 1000.0,
                d.path("max_us").asLong() / 1000.0, d.path("count").asLong());
        bus.close(2000);
        System.exit(0);
    }

    /** Emits session events in 1 ms ticks at {@code rate}, over 1,000 sessions (so 1,000 keys). */
    private static long run(EventBus bus, int rate, int seconds, long firstSession) {
        long perTick = Math.max(1, rate / 1000);
        long emitted = 0;
        long start = System.nanoTime();
        for (long t = 0; t < seconds * 1000L; t++) {
            for (int i = 0; i < perTick; i++) {
                bus.emit(Event.SessionEvent.created(firstSession + (emitted++ % 1000) + 1, "janus.transport.http", "1234567890"));
            }
            long wait = start + (t + 1) * 1_000_000L - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        return emitted;
    }

    private static void awaitDrained(HandlerPipe pipe, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode s = pipe.stats();
            if (s.path("offered").asLong() == s.path("delivered").asLong() + s.path("dropped").asLong()
                    && s.path("queued").asLong() == 0 && s.path("in_delivery").asLong() == 0) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static long endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long sum = 0;
            for (var info : admin.listOffsets(ask).all().get().values()) {
                sum += info.offset();
            }
            return sum;
        }
    }
}
