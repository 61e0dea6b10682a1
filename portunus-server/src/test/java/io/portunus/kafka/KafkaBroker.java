package io.portunus.kafka;

import io.portunus.eventhandlers.EventServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker started and stopped with {@code scripts/kafka.sh}, as a user
 * would, on free loopback ports with its own data folder (a restart keeps both). This broker
 * does not create topics on its own (tests create theirs) and has a SASL PLAIN listener too.
 */
final class KafkaBroker implements AutoCloseable {
    static final String SASL_USER = "portunus";
    static final String SASL_PASSWORD = "kafka-test-secret";
    final int port = EventServer.freePort();
    final int controllerPort = EventServer.freePort();
    final int saslPort = EventServer.freePort();
    final Path dir;
    private final Path script;
    private final Thread cleanup;
    /** When the last {@link #start} saw the broker's "started" line (System.nanoTime). */
    volatile long startedNanos;
    volatile long listeningNanos;

    KafkaBroker() throws IOException {
        dir = Files.createTempDirectory("portunus-kafka");
        script = projectRoot().resolve("scripts/kafka.sh");
        cleanup = new Thread(() -> {
            try {
                stop();
            } catch (Exception e) {
                // the JVM is going away anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/kafka.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/kafka.sh not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    void start() throws Exception {
        // Watch the port while the script waits for the broker, to know when it first listened.
        listeningNanos = 0;
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (listening(port)) {
                    listeningNanos = System.nanoTime();
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            run("start", 180);
        } finally {
            watcher.interrupt();
        }
        startedNanos = System.nanoTime();
    }

    void stop() throws Exception {
        run("stop", 60);
    }

    private void run(String verb, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), verb).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("KAFKA_PORT", String.valueOf(port));
        env.put("KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
        env.put("KAFKA_SASL_PORT", String.valueOf(saslPort));
        env.put("KAFKA_SASL_USER", SASL_USER);
        env.put("KAFKA_SASL_PASSWORD", SASL_PASSWORD);
        env.put("KAFKA_DATA_DIR", dir.toString());
        env.put("KAFKA_AUTO_CREATE", "false");
        env.put("KAFKA_FAST_START", "1");
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/kafka.sh " + verb + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }
}
