package io.portunus.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.eventhandlers.ApiClient;
import io.portunus.eventhandlers.EventServer;
import io.portunus.eventhandlers.HttpEventReceiver;
import io.portunus.kafka.TopicReader.Read;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.portunus.kafka.KafkaPortunus.KAFKA;
import static io.portunus.kafka.KafkaPortunus.kafkaConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #21 against a real Kafka broker started by {@code scripts/kafka.sh}: every event read
 * by a real consumer with its key and in each session's order; three instances into one topic
 * read by one consumer group; a 15 s broker outage with nothing lost; bad configurations.
 * Events carry sequence numbers, so a consumer tells a lost event from a duplicate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaEventHandlerTest {
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker();
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void everyEventIsReadWithItsSessionKeyInEmissionOrder() throws Exception {
        TopicReader.createTopic(broker.bootstrap(), "events-one", 3);
        try (HttpEventReceiver http = new HttpEventReceiver();
             KafkaPortunus portunus = new KafkaPortunus("portunus-one", Map.of(
                     KAFKA + ".jcfg", kafkaConfig(broker.bootstrap(), "events-one", ""),
                     "janus.eventhandler.sampleevh.jcfg", """
                             general: { enabled = true, events = "all", grouping = false, backend = "%s" }
                             """.formatted(http.url())));
             TopicReader reader = new TopicReader(broker.bootstrap(), "events-one", null)) {
            portunus.sessions(6);
            JsonNode stats = portunus.awaitIdle(60_000);
            long delivered = stats.path("delivered").asLong();
            assertThat(stats.path("dropped").asLong()).isZero();
            assertThat(delivered).as("6 sessions of 7 events or more").isGreaterThanOrEqualTo(42);

            List<Read> read = reader.read((int) delivered, 20_000);
            assertThat(read).hasSize((int) delivered);
            assertThat(sequenceNumbers(read, "portunus-one")).as("every event once").isEqualTo(range(delivered));

            Map<Long, List<Read>> bySession = new HashMap<>();
            for (Read r : read) {
                long session = r.event().path("session_id").asLong(0);
                if (session == 0) {
                    assertThat(r.key()).as("an event of no session has no key: %s", r.text()).isNull();
                    continue;
                }
                assertThat(r.key()).as("key of %s", r.text()).isEqualTo(String.valueOf(session));
                bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(r);
            }
            assertThat(bySession).hasSize(6);
            for (List<Read> events : bySession.values()) {
                assertThat(events.stream().map(Read::partition).distinct()).as("one partition per session").hasSize(1);
                events.sort((a, b) -> Long.compare(a.offset(), b.offset()));
                List<Long> seqs = events.stream().map(r -> r.event().path("seq").asLong()).toList();
                assertThat(seqs).as("emission order").isSorted();
                assertThat(events.getFirst().event().at("/event/name").asText()).isEqualTo("created");
                assertThat(events.getLast().event().at("/event/name").asText()).isEqualTo("destroyed");
                assertThat(events.stream().filter(r -> r.event().path("type").asInt() == 2)).as("attached and detached handles")
                        .hasSizeGreaterThanOrEqualTo(3);
            }

            // The value is the event's JSON exactly as the other handlers send it.
            long deadline = System.currentTimeMillis() + 10_000;
            while (http.posts.size() < delivered && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Set<String> overHttp = http.posts.stream().map(p -> new String(p.body())).collect(Collectors.toSet());
            Set<String> overKafka = read.stream().map(Read::text).collect(Collectors.toSet());
            assertThat(overKafka).isEqualTo(overHttp);

            JsonNode status = portunus.kafkaStatus();
            assertThat(status.path("acked").asLong()).isEqualTo(delivered);
            assertThat(status.path("key").asText()).isEqualTo("session_id");
            assertThat(status.at("/ack_delay/count").asLong()).isEqualTo(delivered);
        }
    }

    @Test
    @Order(2)
    void threeInstancesWriteOneTopicThatOneConsumerGroupReadsCompletely() throws Exception {
        TopicReader.createTopic(broker.bootstrap(), "events-fleet", 3);
        List<KafkaPortunus> fleet = new ArrayList<>();
        try (TopicReader first = new TopicReader(broker.bootstrap(), "events-fleet", "fleet-readers");
             TopicReader second = new TopicReader(broker.bootstrap(), "events-fleet", "fleet-readers")) {
            for (String name : List.of("fleet-a", "fleet-b", "fleet-c")) {
                fleet.add(new KafkaPortunus(name, Map.of(KAFKA + ".jcfg", kafkaConfig(broker.bootstrap(), "events-fleet", ""))));
            }
            List<Thread> load = new ArrayList<>();
            for (KafkaPortunus p : fleet) {
                load.add(Thread.ofVirtual().start(() -> {
                    try {
                        p.sessions(5);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread t : load) {
                t.join();
            }
            Map<String, Long> delivered = new HashMap<>();
            long total = 0;
            for (KafkaPortunus p : fleet) {
                JsonNode stats = p.awaitIdle(60_000);
                assertThat(stats.path("dropped").asLong()).isZero();
                delivered.put(p.name, stats.path("delivered").asLong());
                total += stats.path("delivered").asLong();
            }
            List<Read> read = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (read.size() < total && System.currentTimeMillis() < deadline) {
                read.addAll(first.poll(100));
                read.addAll(second.poll(100));
            }
            assertThat(read).hasSize((int) total);
            for (var e : delivered.entrySet()) {
                assertThat(sequenceNumbers(read, e.getKey())).as("every event of %s once", e.getKey())
                        .isEqualTo(range(e.getValue()));
            }
        } finally {
            fleet.forEach(KafkaPortunus::close);
        }
    }

    @Test
    @Order(3)
    void badConfigurationsGiveOneClearLineAndTheServerKeepsServing() throws Exception {
        int nobody = EventServer.freePort();
        List<KafkaPortunus> servers = new ArrayList<>();
        try (Lines lines = new Lines()) {
            servers.add(new KafkaPortunus("bad-bootstrap", Map.of(KAFKA + ".jcfg",
                    kafkaConfig("127.0.0.1:" + nobody, "events-one", ""))));
            servers.add(new KafkaPortunus("bad-topic", Map.of(KAFKA + ".jcfg",
                    kafkaConfig(broker.bootstrap(), "no-such-topic", ""))));
            servers.add(new KafkaPortunus("bad-sasl", Map.of(KAFKA + ".jcfg", kafkaConfig(broker.saslBootstrap(), "events-one",
                    ", sasl_mechanism = \"PLAIN\", sasl_username = \"portunus\", sasl_password = \"wrong\""))));
            servers.add(new KafkaPortunus("good-sasl", Map.of(KAFKA + ".jcfg", kafkaConfig(broker.saslBootstrap(), "events-one",
                    ", sasl_mechanism = \"PLAIN\", sasl_username = \"%s\", sasl_password = \"%s\""
                            .formatted(KafkaBroker.SASL_USER, KafkaBroker.SASL_PASSWORD)))));
            for (KafkaPortunus p : servers) {
                p.sessions(2);
            }
            long deadline = System.currentTimeMillis() + 15_000;
            while (lines.kafka().size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2_000); // events keep waiting: no more lines come
            for (KafkaPortunus p : servers) {
                p.sessions(1);
            }
            Thread.sleep(1_000);
            List<String> problems = lines.kafka();
            assertThat(problems).as("one line per bad configuration: %s", problems).hasSize(3);
            assertThat(problems).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("no Kafka broker answers at 127.0.0.1:" + nobody));
            assertThat(problems).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("topic 'no-such-topic' does not exist and the broker does not create topics"));
            assertThat(problems).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("authentication to Kafka at " + broker.saslBootstrap() + " failed"));
            assertThat(lines.all()).as("the Kafka client's own lines stay quiet")
                    .noneMatch(l -> l.contains("org.apache.kafka"));

            for (KafkaPortunus p : servers.subList(0, 3)) {
                // Still serving; its events wait, none dropped.
                assertThat(p.api.create(p.janus())).isPositive();
                JsonNode stats = p.pipeStats();
                assertThat(stats.path("dropped").asLong()).as(p.name).isZero();
                assertThat(stats.path("delivered").asLong()).as(p.name).isZero();
                assertThat(stats.path("queued").asLong() + stats.path("in_delivery").asLong()).as(p.name).isPositive();
                assertThat(p.kafkaStatus().path("problem").asText()).as(p.name).isNotEmpty();
            }
            KafkaPortunus good = servers.get(3);
            JsonNode stats = good.awaitIdle(60_000);
            assertThat(stats.path("delivered").asLong()).as("over SASL PLAIN with the right password").isPositive();
            assertThat(stats.path("dropped").asLong()).isZero();
        } finally {
            servers.forEach(KafkaPortunus::close);
        }
    }

    @Test
    @Order(4)
    void aFifteenSecondBrokerOutageLosesNothing() throws Exception {
        TopicReader.createTopic(broker.bootstrap(), "events-outage", 3);
        AtomicBoolean flowing = new AtomicBoolean(true);
        AtomicLong sessions = new AtomicLong();
        try (KafkaPortunus portunus = new KafkaPortunus("portunus-outage", Map.of(KAFKA + ".jcfg",
                kafkaConfig(broker.bootstrap(), "events-outage", "")));
             TopicReader reader = new TopicReader(broker.bootstrap(), "events-outage", null)) {
            Thread flow = Thread.ofVirtual().start(() -> {
                ApiClient api = new ApiClient();
                while (flowing.get()) {
                    try {
                        long s = api.create(portunus.janus());
                        api.post(portunus.janus() + "/" + s, ApiClient.request("destroy"));
                        sessions.incrementAndGet();
                        Thread.sleep(10);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Thread.sleep(2_000);
            long ackedBefore = portunus.kafkaStatus().path("acked").asLong();
            assertThat(ackedBefore).isPositive();

            broker.stop();
            long stopped = System.nanoTime();
            long maxQueued = 0;
            while (System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(15)) {
                JsonNode stats = portunus.pipeStats();
                maxQueued = Math.max(maxQueued, stats.path("queued").asLong());
                assertThat(stats.path("dropped").asLong()).isZero();
                Thread.sleep(200);
            }
            long ackedDuringOutage = portunus.kafkaStatus().path("acked").asLong();
            broker.start();
            long resumedNanos;
            while (true) {
                if (portunus.kafkaStatus().path("acked").asLong() > ackedDuringOutage) {
                    resumedNanos = System.nanoTime();
                    break;
                }
                assertThat(System.nanoTime() - broker.startedNanos).as("delivery resumed").isLessThan(TimeUnit.SECONDS.toNanos(10));
                Thread.sleep(5);
            }
            long resumeMs = TimeUnit.NANOSECONDS.toMillis(resumedNanos - broker.startedNanos);
            long fromListeningMs = TimeUnit.NANOSECONDS.toMillis(resumedNanos - broker.listeningNanos);
            Thread.sleep(1_000);
            flowing.set(false);
            flow.join();

            JsonNode stats = portunus.awaitIdle(60_000);
            long delivered = stats.path("delivered").asLong();
            JsonNode status = portunus.kafkaStatus();
            List<Read> read = reader.read((int) delivered, 30_000);
            read.addAll(reader.poll(500)); // duplicates, if any, come on top
            Set<Long> seqs = sequenceNumbers(read, "portunus-outage");
            long duplicates = read.size() - seqs.size();
            System.out.printf("outage: %d sessions, %d events, up to %d queued during the 15 s, %d duplicates (%d resent), "
                            + "delivery resumed %d ms after the broker's start-up line (%d ms after its port opened)%n",
                    sessions.get(), delivered, maxQueued, duplicates, status.path("resent").asLong(), resumeMs, fromListeningMs);
            assertThat(stats.path("dropped").asLong()).isZero();
            assertThat(maxQueued).as("events waited in the queue").isPositive();
            assertThat(ackedDuringOutage).as("nothing was acknowledged while the broker was away").isLessThan(delivered);
            Set<Long> missing = new TreeSet<>(range(delivered));
            missing.removeAll(seqs);
            assertThat(missing).as("zero lost (%d read, %d distinct, %d delivered)", read.size(), seqs.size(), delivered)
                    .isEmpty();
            assertThat(duplicates).as("duplicates bounded by what was sent again").isLessThanOrEqualTo(status.path("resent").asLong());
            assertThat(resumeMs).as("delivery resumes within 1 s of the broker's return").isLessThan(1_000);
        } finally {
            flowing.set(false);
        }
    }

    private static Set<Long> sequenceNumbers(List<Read> read, String emitter) {
        Set<Long> seqs = new TreeSet<>();
        for (Read r : read) {
            if (r.event().path("emitter").asText().equals(emitter)) {
                seqs.add(r.event().path("seq").asLong());
            }
        }
        return seqs;
    }

    private static Set<Long> range(long n) {
        Set<Long> s = new TreeSet<>();
        for (long i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    /** What the server logs at WARN or above while open. */
    private static final class Lines implements AutoCloseable {
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        Lines() {
            appender.start();
            root.addAppender(appender);
        }

        List<String> all() {
            return List.copyOf(appender.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        }

        List<String> kafka() {
            return all().stream().filter(l -> l.contains(KAFKA)).toList();
        }

        @Override
        public void close() {
            root.detachAppender(appender);
        }
    }
}
