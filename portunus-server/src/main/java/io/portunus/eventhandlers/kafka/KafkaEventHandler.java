package io.portunus.eventhandlers.kafka;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Clock;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.eventhandlers.kafka.KafkaSettings.KeyChoice;
import io.portunus.events.Batches;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code janus.eventhandler.kafkaevh} (Portunus's own; Janus has no Kafka handler): publishes
 * events to a Kafka topic with Apache Kafka's producer, each record keyed by {@code session_id}
 * by default so that a session's events stay in one partition, in emission order. The record's
 * value is the event's JSON exactly as the other handlers send it (with {@code grouping}, one
 * JSON array of up to 100 events that share a key).
 *
 * <p>What counts as delivered is decided by Kafka's delivery reports: {@link #deliver} returns
 * only when the broker acknowledged every record of the batch ({@code acks = "all"} and an
 * idempotent producer by default). While the broker is away it keeps waiting (the producer
 * retries on its own; a record that still fails is sent again), so the core's queue holds the
 * events meanwhile and nothing is dropped while it has room. A resent record may be a duplicate
 * when the broker had it after all: {@code resent} in the {@code status} request bounds them.
 * The producer has its own I/O thread (Kafka's), as has the start-up check's Admin client.
 */
public final class KafkaEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.kafkaevh";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventHandler.class);
    /** One {@link #deliver} takes up to this many events; the producer batches them on its own. */
    static final int MAX_BATCH = 10_000;
    /** How long the acknowledgements may be late before the wait is logged (once per outage). */
    static final long SLOW_ACK_LOG_MS = 2_000;
    private static final long MAX_RETRY_BACKOFF_MS = 400;

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus Kafka event handler", "The Portunus authors",
            "This event handler forwards events to an Apache Kafka topic.", 1, "0.1.0", List.of("libjanus_kafkaevh.so"));

    private HandlerOptions options;
    private KafkaSettings settings;
    private volatile KeyChoice key;
    private byte[] emitterKey;
    private KafkaProducer<byte[], byte[]> producer;
    private ClusterCheck check;
    private final AckDelays delays = new AckDelays();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile long waitingSinceNanos;
    private volatile String lastError;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext context) {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE, false);
        if (!options.enabled) {
            return false;
        }
        settings = KafkaSettings.from(general, context.serverName());
        key = settings.key();
        emitterKey = context.serverName().getBytes(StandardCharsets.UTF_8);
        quietKafkaLogs();
        try {
            producer = new KafkaProducer<>(settings.producer());
        } catch (KafkaException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("cannot make a Kafka producer for " + settings.bootstrap() + ": " + c.getMessage(), e);
        }
        try {
            check = ClusterCheck.start(PACKAGE, settings);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new IllegalArgumentException("cannot make a Kafka Admin client for " + settings.bootstrap() + ": "
                    + e.getMessage(), e);
        }
        return true;
    }

    /**
     * The Kafka client logs every failed connection attempt (several a second while a broker is
     * away); the handler says what matters in its own lines, so the client's stay off unless
     * the operator asked for everything (log level 7) or set their level.
     */
    private static void quietKafkaLogs() {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka
                && kafka.getLevel() == null && !LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME).isDebugEnabled()) {
            kafka.setLevel(Level.OFF);
        }
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws InterruptedException {
        releaseCheck();
        List<Pending> pending = records(batch);
        long backoff = 50;
        while (true) {
            List<Pending> failed = sendAndWait(pending);
            if (failed.isEmpty()) {
                if (waitingSinceNanos != 0) {
                    LOG.info("{}: delivering to Kafka at {} again after {} ms", PACKAGE, settings.bootstrap(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSinceNanos));
                    waitingSinceNanos = 0;
                }
                return;
            }
            noteWaiting("delivery failed: " + lastError);
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
            pending = failed;
        }
    }

    /**
     * A record, the emission times (µs) of the events in it, and whether a broker may have had
     * it already ({@code sent}).
     */
    private record Pending(ProducerRecord<byte[], byte[]> record, long[] emittedMicros, boolean sent) {
        int events() {
            return emittedMicros.length;
        }
    }

    /**
     * Hands the records to the producer in order and waits for every acknowledgement. Returns
     * those that failed and those not handed over because an earlier one failed at once
     * (unknown metadata, full buffer): sending them would overtake the failed ones.
     */
    private List<Pending> sendAndWait(List<Pending> pending) throws InterruptedException {
        List<Future<RecordMetadata>> futures = new ArrayList<>(pending.size());
        int refusedAtOnce = -1;
        for (Pending p : pending) {
            Future<RecordMetadata> f = send(p);
            futures.add(f);
            if (f.isDone() && failure(f) != null) {
                refusedAtOnce = futures.size() - 1;
                break;
            }
        }
        List<Pending> failed = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < futures.size(); i++) {
            Throwable error = await(futures.get(i), start, futures.size() - i);
            if (error == null) {
                continue;
            }
            Pending p = pending.get(i);
            if (error instanceof RecordTooLargeException || error instanceof InvalidRecordException
                    || error instanceof SerializationException) {
                // The broker will never take this record: retrying would stop the stream for good.
                rejected.addAndGet(p.events());
                LOG.warn("{}: Kafka refused a record of {} event(s) for good ({}); it is left out", PACKAGE, p.events(),
                        error.getMessage());
                continue;
            }
            lastError = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            // A record refused by send() itself never reached a broker: sending it again duplicates nothing.
            boolean reachedBroker = i != refusedAtOnce;
            if (p.sent()) {
                resent.addAndGet(p.events());
            }
            failed.add(new Pending(p.record(), p.emittedMicros(), p.sent() || reachedBroker));
        }
        for (int i = futures.size(); i < pending.size(); i++) {
            failed.add(pending.get(i));
        }
        return failed;
    }

    private Future<RecordMetadata> send(Pending p) throws InterruptedException {
        try {
            return producer.send(p.record(), (metadata, error) -> {
                if (error == null) {
                    acked.addAndGet(p.events());
                    long now = Clock.SYSTEM.wallMicros();
                    for (long emitted : p.emittedMicros()) {
                        delays.record(now - emitted);
                    }
                }
            });
        } catch (InterruptException e) {
            throw new InterruptedException("stopping");
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for one acknowledgement; logs once when they are late. Null when it succeeded. */
    private Throwable await(Future<RecordMetadata> f, long start, int left) throws InterruptedException {
        while (true) {
            try {
                f.get(250, TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause() == null ? e : e.getCause();
            } catch (TimeoutException e) {
                if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(SLOW_ACK_LOG_MS)) {
                    noteWaiting("no acknowledgement for " + SLOW_ACK_LOG_MS / 1000 + " s, " + left + " record(s) in flight");
                }
            }
        }
    }

    private static Throwable failure(Future<RecordMetadata> f) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * The first line of an outage (events wait in the queue meanwhile). While the start-up check
     * has not succeeded it has said what is wrong, so this stays quiet: one line per problem.
     */
    private void noteWaiting(String why) {
        if (waitingSinceNanos != 0) {
            return;
        }
        waitingSinceNanos = System.nanoTime();
        if (acked.get() > 0 || check.outcome() == ClusterCheck.Outcome.OK) {
            LOG.warn("{}: waiting for Kafka at {} ({}); events wait in the queue", PACKAGE, settings.bootstrap(), why);
        }
    }

    private List<Pending> records(List<SerializedEvent> batch) {
        KeyChoice k = key;
        List<Pending> out = new ArrayList<>(batch.size());
        if (!options.grouping()) {
            for (SerializedEvent e : batch) {
                out.add(new Pending(record(keyOf(e, k), Batches.single(e, options.json), e.timestampMicros()),
                        new long[] {e.timestampMicros()}, false));
            }
            return out;
        }
        // Grouping: one JSON array per key, up to 100 events, in emission order within each key.
        Map<String, List<SerializedEvent>> byKey = new LinkedHashMap<>();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (SerializedEvent e : batch) {
            byte[] kb = keyOf(e, k);
            String ks = kb == null ? "" : new String(kb, StandardCharsets.UTF_8);
            keys.putIfAbsent(ks, kb);
            byKey.computeIfAbsent(ks, x -> new ArrayList<>()).add(e);
        }
        for (var entry : byKey.entrySet()) {
            List<SerializedEvent> events = entry.getValue();
            for (int from = 0; from < events.size(); from += HandlerOptions.GROUP_SIZE) {
                List<SerializedEvent> chunk = events.subList(from, Math.min(events.size(), from + HandlerOptions.GROUP_SIZE));
                long[] emitted = new long[chunk.size()];
                for (int i = 0; i < emitted.length; i++) {
                    emitted[i] = chunk.get(i).timestampMicros();
                }
                out.add(new Pending(record(keys.get(entry.getKey()), Batches.array(chunk, options.json),
                        chunk.get(0).timestampMicros()), emitted, false));
            }
        }
        return out;
    }

    private ProducerRecord<byte[], byte[]> record(byte[] recordKey, byte[] value, long emittedMicros) {
        return new ProducerRecord<>(settings.topic(), null, emittedMicros / 1000, recordKey, value);
    }

    private byte[] keyOf(SerializedEvent e, KeyChoice k) {
        return switch (k) {
            case SESSION_ID -> EventKeys.sessionId(e.json());
            case HANDLE_ID -> EventKeys.handleId(e.json());
            case EMITTER -> emitterKey;
            case NONE -> null;
        };
    }

    /** The start-up check's Admin client is closed from here, never from its own callbacks. */
    private void releaseCheck() {
        if (check.outcome() != ClusterCheck.Outcome.PENDING) {
            check.close();
        }
    }

    /**
     * {@code tweak} with {@code events}, {@code grouping} and {@code key}, as the other handlers;
     * Portunus's own {@code status}: the delivery reports' counters and the emission →
     * acknowledgement delays ({@code reset: true} starts them again).
     */
    @Override
    public ObjectNode handleRequest(JsonNode request) {
        if (request != null && "status".equals(request.path("request").asText(null))) {
            return status(request.path("reset").asBoolean(false));
        }
        ObjectNode invalid = HandlerRequests.checkTweak(request,
                HandlerRequests.field("events", Kind.STRING),
                HandlerRequests.field("grouping", Kind.BOOLEAN),
                HandlerRequests.field("key", Kind.STRING));
        if (invalid != null) {
            return invalid;
        }
        KeyChoice newKey = null;
        if (request.has("key")) {
            try {
                newKey = KeyChoice.of(request.get("key").asText());
            } catch (IllegalArgumentException e) {
                return HandlerRequests.error(HandlerRequests.INVALID_ELEMENT, "Invalid element (" + e.getMessage() + ")");
            }
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        if (request.has("grouping")) {
            options.grouping(request.get("grouping").asBoolean());
        }
        if (newKey != null) {
            key = newKey;
        }
        return HandlerRequests.ok();
    }

    private ObjectNode status(boolean reset) {
        ObjectNode s = Json.object();
        s.put("result", 200);
        s.put("bootstrap", settings.bootstrap());
        s.put("topic", settings.topic());
        s.put("key", key.label());
        s.put("acks", settings.acks());
        s.put("grouping", options.grouping());
        s.put("acked", acked.get());
        s.put("resent", resent.get());
        s.put("rejected", rejected.get());
        long since = waitingSinceNanos;
        s.put("waiting_ms", since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        if (lastError != null) {
            s.put("last_error", lastError);
        }
        if (check.problem() != null) {
            s.put("problem", check.problem());
        }
        s.set("ack_delay", delays.summary());
        if (reset) {
            delays.reset();
        }
        return s;
    }

    @Override
    public void destroy() {
        if (check != null) {
            check.close();
        }
        if (producer != null) {
            // What the broker has not acknowledged by now is not waited for: the core already gave its grace time.
            producer.close(Duration.ofMillis(1_000));
        }
    }
}
