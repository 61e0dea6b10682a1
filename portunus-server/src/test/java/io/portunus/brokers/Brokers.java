package io.portunus.brokers;

import io.portunus.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real brokers for the tests: Debian's {@code mosquitto} and {@code rabbitmq-server}, each on
 * loopback, on a free port, with its own data directory, started and stopped by the test
 * (by process id; a restart keeps the port and the data).
 */
final class Brokers {
    private Brokers() {
    }

    static int freePort() {
        return FreePorts.next();
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A broker process; {@link #start} waits until its port accepts connections. */
    abstract static class Broker implements AutoCloseable {
        final int port;
        final Path dir;
        private Process process;
        long lastStartMillis;

        Broker(int port, String name) throws IOException {
            this.port = port;
            this.dir = Files.createTempDirectory("portunus-" + name);
        }

        abstract ProcessBuilder command() throws IOException;

        abstract long startTimeoutSeconds();

        synchronized void start() throws Exception {
            long t0 = System.nanoTime();
            ProcessBuilder pb = command();
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
            process = pb.start();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(startTimeoutSeconds());
            while (!listening(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(getClass().getSimpleName() + " exited with " + process.exitValue()
                            + "; log: " + Files.readString(dir.resolve("broker.log")));
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException(getClass().getSimpleName() + " not listening on " + port + " after "
                            + startTimeoutSeconds() + " s; log: " + Files.readString(dir.resolve("broker.log")));
                }
                Thread.sleep(50);
            }
            ready();
            lastStartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        /** After the port opens: whatever else the broker needs before it is usable. */
        void ready() throws Exception {
        }

        /** SIGTERM (a clean shutdown that saves the broker's data), then SIGKILL after 20 s. */
        synchronized void stop() throws InterruptedException {
            Process p = process;
            process = null;
            if (p == null) {
                return;
            }
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (listening(port) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** mosquitto with {@code listener <port> 127.0.0.1}, anonymous access and persistence in its directory. */
    static final class Mosquitto extends Broker {
        Mosquitto(int port) throws IOException {
            super(port, "mosquitto");
            // mosquitto started as root runs as user mosquitto: it must be able to save its database here.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(dir.resolve("mosquitto.conf"), """
                    listener %d 127.0.0.1
                    allow_anonymous true
                    persistence true
                    persistence_location %s/
                    log_dest stdout
                    """.formatted(port, dir));
        }

        Mosquitto() throws IOException {
            this(freePort());
        }

        @Override
        ProcessBuilder command() {
            return new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString());
        }

        @Override
        long startTimeoutSeconds() {
            return 10;
        }
    }

    /**
     * rabbitmq-server as a foreground process with its own node name, ports, data and logs
     * ({@code RABBITMQ_*} variables) and its own HOME (Erlang cookie). It registers with epmd
     * on 127.0.0.1:4369, starting it when needed; epmd is left running, as it may serve others.
     */
    static final class RabbitMq extends Broker {
        final String node;
        final int distPort = freePort();

        RabbitMq() throws IOException {
            super(freePort(), "rabbitmq");
            node = "portunus" + ProcessHandle.current().pid() + "x" + port + "@localhost";
            Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        }

        @Override
        ProcessBuilder command() {
            ProcessBuilder pb = new ProcessBuilder("/usr/lib/rabbitmq/bin/rabbitmq-server");
            Map<String, String> env = pb.environment();
            env.put("HOME", dir.toString());
            env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
            env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
            env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
            env.put("RABBITMQ_NODENAME", node);
            env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
            env.put("RABBITMQ_LOGS", "-");
            env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
            env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
            env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
            env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
            env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
            return pb;
        }

        @Override
        long startTimeoutSeconds() {
            return 60;
        }

        /** The listener opens a moment before the node takes logins; wait for a real connection. */
        @Override
        void ready() throws Exception {
            com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (var c = f.newConnection()) {
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
