package io.portunus.eventhandlers.kafka;

import io.portunus.config.jcfg.ConfigGroup;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code janus.eventhandler.kafkaevh.jcfg}'s Kafka options turned into the producer's
 * properties. Every option is checked here, so that a wrong value stops the handler at start
 * with one line naming it (the server starts without the handler) instead of surfacing later.
 *
 * @param bootstrap  {@code bootstrap}: {@code host:port[,host:port...]}
 * @param topic      {@code topic}
 * @param key        {@code key}: what each record is keyed by
 * @param producer   the producer's (and the Admin client's) properties
 */
record KafkaSettings(String bootstrap, String topic, KeyChoice key, String acks, Properties producer) {

    /** What a record's key is; {@code session_id} keeps each session's events in one partition, in order. */
    enum KeyChoice {
        SESSION_ID, HANDLE_ID, EMITTER, NONE;

        static KeyChoice of(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "session_id", "session" -> SESSION_ID;
                case "handle_id", "handle" -> HANDLE_ID;
                case "emitter", "server_name" -> EMITTER;
                case "none", "" -> NONE;
                default -> throw new IllegalArgumentException(
                        "key = \"" + value + "\" is not one of session_id, handle_id, emitter, none");
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd", "gzip", "snappy");
    static final List<String> SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    static KafkaSettings from(ConfigGroup general, String serverName) {
        String bootstrap = general.string("bootstrap", "127.0.0.1:9092").trim();
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("bootstrap is empty (host:port of one or more Kafka brokers)");
        }
        String topic = general.string("topic", "janus-events").trim();
        if (topic.isEmpty() || topic.length() > 249 || !topic.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("topic = \"" + topic + "\" is not a valid Kafka topic name "
                    + "(1-249 characters of a-z, A-Z, 0-9, '.', '_', '-')");
        }
        KeyChoice key = KeyChoice.of(general.string("key", "session_id").trim());
        String acks = general.string("acks", "all").trim().toLowerCase(Locale.ROOT);
        if (acks.equals("-1")) {
            acks = "all";
        }
        if (!List.of("all", "1", "0").contains(acks)) {
            throw new IllegalArgumentException("acks = \"" + acks + "\" is not one of all, 1, 0");
        }
        boolean idempotent = general.bool("idempotence", true);
        if (idempotent && !acks.equals("all")) {
            throw new IllegalArgumentException("idempotence = true needs acks = \"all\" (set idempotence = false for acks = "
                    + acks + ")");
        }
        String compression = general.string("compression", "none").trim().toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("compression = \"" + compression + "\" is not one of " + String.join(", ", COMPRESSIONS));
        }

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, general.string("client_id", "portunus-" + serverName));
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(idempotent));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(nonNegative(general, "linger_ms", 2)));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(nonNegative(general, "batch_size", 256 * 1024)));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(nonNegative(general, "buffer_memory", 64L << 20)));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 << 20));
        // The producer retries on its own while the broker is away; a record fails only after
        // delivery_timeout_ms, and then the handler sends it again (see KafkaEventHandler).
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(positive(general, "delivery_timeout_ms", 30_000)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(positive(general, "request_timeout_ms", 10_000)));
        // send() blocks at most this long for metadata; the handler then waits and tries again.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        // A broker that comes back is found within a quarter of a second (the 1 s default plus jitter is too slow).
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
        p.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, "50");
        p.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, "250");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        security(general, p);
        return new KafkaSettings(bootstrap, topic, key, acks, p);
    }

    /** TLS ({@code tls = true}, PEM files) and SASL ({@code sasl_mechanism}, user and password). */
    private static void security(ConfigGroup general, Properties p) {
        boolean tls = general.bool("tls", false);
        String mechanism = general.string("sasl_mechanism", null);
        if (mechanism != null && !mechanism.isBlank()) {
            mechanism = mechanism.trim().toUpperCase(Locale.ROOT);
            if (!SASL_MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException("sasl_mechanism = \"" + mechanism + "\" is not one of "
                        + String.join(", ", SASL_MECHANISMS));
            }
            String user = general.string("sasl_username", null);
            String password = general.string("sasl_password", null);
            if (user == null || password == null) {
                throw new IllegalArgumentException("sasl_mechanism = \"" + mechanism + "\" needs sasl_username and sasl_password");
            }
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_MECHANISM, mechanism);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(user)
                    + "\" password=\"" + jaasEscape(password) + "\";");
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, tls ? "SASL_SSL" : "SASL_PLAINTEXT");
        } else {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, tls ? "SSL" : "PLAINTEXT");
        }
        if (!tls) {
            return;
        }
        String cacert = general.string("tls_cacert", null);
        if (cacert != null) {
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, readable(cacert, "tls_cacert").toString());
        }
        String cert = general.string("tls_client_cert", null);
        String key = general.string("tls_client_key", null);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls_client_cert and tls_client_key go together");
        }
        if (cert != null) {
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(readable(cert, "tls_client_cert")));
            p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(readable(key, "tls_client_key")));
        }
        if (!general.bool("tls_verify_hostname", true)) {
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Path readable(String file, String option) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " = \"" + file + "\" cannot be read");
        }
        return path;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static long nonNegative(ConfigGroup general, String name, long def) {
        long v = general.integer(name, def);
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + v);
        }
        return v;
    }

    private static long positive(ConfigGroup general, String name, long def) {
        long v = general.integer(name, def);
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
        return v;
    }
}
