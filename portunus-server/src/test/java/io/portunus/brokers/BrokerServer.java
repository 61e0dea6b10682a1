package io.portunus.brokers;

import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.eventhandlers.EventServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Portunus in this JVM: Janus API and Admin API over HTTP on free loopback ports, plus
 * the broker transports and event handlers given as configuration files.
 */
final class BrokerServer implements AutoCloseable {
    static final String NAME = "PortunusBrokersTest";
    static final String ADMIN_SECRET = EventServer.ADMIN_SECRET; // so ApiClient.admin works
    final int httpPort = Brokers.freePort();
    final int adminPort = Brokers.freePort();
    final Path folder;
    final Server server;
    final long startMillis;

    BrokerServer(String general, String events, Map<String, String> files) throws Exception {
        folder = Files.createTempDirectory("portunus-brokers");
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: { server_name = "%s", admin_secret = "%s" %s }
                events: { %s }
                """.formatted(NAME, ADMIN_SECRET, general, events));
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, adminPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\n");
        for (var e : files.entrySet()) {
            Files.writeString(folder.resolve(e.getKey()), e.getValue());
        }
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        long t0 = System.nanoTime();
        server = new Server(settings, new ConfigFolder(folder)).start();
        startMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    String janus() {
        return "http://127.0.0.1:" + httpPort + "/janus";
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort + "/admin";
    }

    @Override
    public void close() {
        server.close();
    }
}
