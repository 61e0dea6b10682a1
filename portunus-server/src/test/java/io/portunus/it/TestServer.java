package io.portunus.it;

import io.portunus.FreePorts;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Portunus server on free loopback ports, configured through a real configuration
 * folder written for the test; tests talk to it over real sockets.
 */
final class TestServer implements AutoCloseable {
    final int httpPort = freePort();
    final int wsPort = freePort();
    final int adminHttpPort = freePort();
    final int adminWsPort = freePort();
    final Path folder;
    final Server server;

    /** {@code general} is extra janus.jcfg general options, e.g. {@code session_timeout = 2}. */
    TestServer(String general) throws Exception {
        this(general, "");
    }

    TestServer(String general, String httpGeneral) throws Exception {
        this(general, httpGeneral, "max_message_size = 65536", Clock.SYSTEM);
    }

    /** With a clock the test moves ({@link ManualClock}): timeouts without waiting for them. */
    TestServer(String general, Clock clock) throws Exception {
        this(general, "", "max_message_size = 65536", clock);
    }

    /** {@code wsGeneral}: extra options of the WebSockets transport's general group. */
    TestServer(String general, String httpGeneral, String wsGeneral) throws Exception {
        this(general, httpGeneral, wsGeneral, Clock.SYSTEM);
    }

    TestServer(String general, String httpGeneral, String wsGeneral, Clock clock) throws Exception {
        folder = Files.createTempDirectory("portunus-test");
        Files.writeString(folder.resolve("janus.jcfg"), "general: {\n" + general + "\n}\n");
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" %s }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, httpGeneral, adminHttpPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), """
                general: { ws = true, ws_port = %d, ws_ip = "127.0.0.1" %s }
                admin: { admin_ws = true, admin_ws_port = %d }
                """.formatted(wsPort, wsGeneral, adminWsPort));
        ConfigFolder configs = new ConfigFolder(folder);
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, configs, clock).start();
    }

    String janus() {
        return "http://127.0.0.1:" + httpPort + "/janus";
    }

    String admin() {
        return "http://127.0.0.1:" + adminHttpPort + "/admin";
    }

    String ws() {
        return "ws://127.0.0.1:" + wsPort + "/";
    }

    String adminWs() {
        return "ws://127.0.0.1:" + adminWsPort + "/";
    }

    static int freePort() {
        return FreePorts.next();
    }

    @Override
    public void close() {
        server.close();
    }
}
