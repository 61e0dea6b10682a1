package io.portunus.eventhandlers.kafka;

import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kafkaevh options and the record keys, without a broker. */
class KafkaSettingsTest {

    private static ConfigGroup general(String body) throws Exception {
        return JcfgParser.parseString("general: { " + body + " }", "test").group("general");
    }

    @Test
    void defaultsAreSessionKeyAcksAllIdempotentNoCompression() throws Exception {
        KafkaSettings s = KafkaSettings.from(general("enabled = true"), "node-1");
        assertThat(s.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(s.topic()).isEqualTo("janus-events");
        assertThat(s.key()).isEqualTo(KafkaSettings.KeyChoice.SESSION_ID);
        assertThat(s.producer()).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("compression.type", "none").containsEntry("client.id", "portunus-node-1")
                .containsEntry("security.protocol", "PLAINTEXT");
    }

    @Test
    void saslAndTlsChooseTheSecurityProtocol() throws Exception {
        KafkaSettings s = KafkaSettings.from(general("""
                sasl_mechanism = "scram-sha-512", sasl_username = "u", sasl_password = "p\\"q", tls = true,
                tls_verify_hostname = false"""), "n");
        assertThat(s.producer()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.endpoint.identification.algorithm", "");
        assertThat(s.producer().getProperty("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\\\"q\";");
    }

    @Test
    void badValuesAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> KafkaSettings.from(general("compression = \"brotli\""), "n"))
                .hasMessage("compression = \"brotli\" is not one of none, lz4, zstd, gzip, snappy");
        assertThatThrownBy(() -> KafkaSettings.from(general("key = \"opaque_id\""), "n"))
                .hasMessage("key = \"opaque_id\" is not one of session_id, handle_id, emitter, none");
        assertThatThrownBy(() -> KafkaSettings.from(general("acks = \"1\""), "n"))
                .hasMessageContaining("idempotence = true needs acks = \"all\"");
        assertThatThrownBy(() -> KafkaSettings.from(general("topic = \"a b\""), "n"))
                .hasMessageContaining("is not a valid Kafka topic name");
        assertThatThrownBy(() -> KafkaSettings.from(general("sasl_mechanism = \"PLAIN\""), "n"))
                .hasMessageContaining("needs sasl_username and sasl_password");
        assertThatThrownBy(() -> KafkaSettings.from(general("tls = true, tls_cacert = \"/nonexistent.pem\""), "n"))
                .hasMessage("tls_cacert = \"/nonexistent.pem\" cannot be read");
    }

    @Test
    void keysComeFromTheHeaderNeverFromTheBody() {
        byte[] event = ("{\"emitter\":\"a\\\"session_id\\\":9\",\"type\":64,\"timestamp\":1,\"session_id\":123,\"handle_id\":456,"
                + "\"opaque_id\":\"\\\"session_id\\\":7\",\"event\":{\"session_id\":5}}").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(EventKeys.sessionId(event), StandardCharsets.US_ASCII)).isEqualTo("123");
        assertThat(new String(EventKeys.handleId(event), StandardCharsets.US_ASCII)).isEqualTo("456");
        byte[] core = "{\"emitter\":\"a\",\"type\":256,\"timestamp\":1,\"event\":{\"session_id\":5,\"handle_id\":6}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(EventKeys.sessionId(core)).isNull();
        assertThat(EventKeys.handleId(core)).isNull();
    }

    @Test
    void ackDelayBucketsAreWithinSixPercent() {
        for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 33, 1000, 99_999, 1_234_567, 60_000_000L}) {
            long upper = AckDelays.upper(AckDelays.bucket(v));
            assertThat(upper).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + Math.max(1, v / 16));
        }
        AckDelays d = new AckDelays();
        for (int i = 1; i <= 100; i++) {
            d.record(i * 1000L);
        }
        assertThat(d.summary().path("p50_us").asLong()).isBetween(50_000L, 53_000L);
        assertThat(d.summary().path("p99_us").asLong()).isBetween(99_000L, 103_000L);
    }
}
