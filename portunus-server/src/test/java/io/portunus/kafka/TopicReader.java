package io.portunus.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** A real Kafka consumer (a member of a consumer group) and topic creation, for the tests. */
final class TopicReader implements AutoCloseable {

    /** One record as read: its key, the event JSON, where it was. */
    record Read(String key, byte[] value, JsonNode event, int partition, long offset) {
        String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;

    private final boolean inGroup;

    /**
     * A member of consumer group {@code group}; with {@code group} null, a plain reader of every
     * partition from the start (no group coordinator involved).
     */
    TopicReader(String bootstrap, String topic, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        inGroup = group != null;
        if (inGroup) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(p);
        if (inGroup) {
            consumer.subscribe(List.of(topic));
        } else {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Reads until {@code until} records came or {@code timeoutMs} passed; returns what came. */
    List<Read> read(int until, long timeoutMs) throws Exception {
        List<Read> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (out.size() < until && System.currentTimeMillis() < deadline) {
            out.addAll(poll(200));
        }
        return out;
    }

    List<Read> poll(long ms) throws Exception {
        List<Read> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(ms))) {
            out.add(new Read(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                    Json.MAPPER.readTree(r.value()), r.partition(), r.offset()));
        }
        if (inGroup) {
            consumer.commitSync();
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
