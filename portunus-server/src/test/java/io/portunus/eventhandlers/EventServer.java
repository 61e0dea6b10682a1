package io.portunus.eventhandlers;

import io.portunus.FreePorts;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Portunus with event handlers on, on free loopback ports (Janus API over HTTP and
 * WebSockets, Admin API over HTTP), configured through a real configuration folder that
 * holds the handlers' own {@code janus.eventhandler.*.jcfg} files.
 */
public final class EventServer implements AutoCloseable {
    public static final String NAME = "PortunusEventsTest";
    public static final String ADMIN_SECRET = "evsecret";
    public final int httpPort = freePort();
    public final int wsPort = freePort();
    public final int adminPort = freePort();
    public final Path folder;
    public final Server server;

    /**
     * @param general  extra {@code general} options of janus.jcfg
     * @param events   the {@code events} group of janus.jcfg (broadcast etc.)
     * @param handlers file name → contents, e.g. {@code janus.eventhandler.sampleevh.jcfg}
     */
    public EventServer(String general, String events, Map<String, String> handlers) throws Exception {
        folder = Files.createTempDirectory("portunus-events");
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: { server_name = "%s", admin_secret = "%s" %s }
                events: { %s }
                """.formatted(NAME, ADMIN_SECRET, general, events));
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" }
                admin: { admin_http = true, admin_port = %d }
                """.formatted(httpPort, adminPort));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), """
                general: { ws = true, ws_port = %d, ws_ip = "127.0.0.1" }
                """.formatted(wsPort));
        for (var e : handlers.entrySet()) {
            Files.writeString(folder.resolve(e.getKey()), e.getValue());
        }
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder)).start();
    }

    public String janus() {
        return "http://127.0.0.1:" + httpPort + "/janus";
    }

    public String admin() {
        return "http://127.0.0.1:" + adminPort + "/admin";
    }

    public String ws() {
        return "ws://127.0.0.1:" + wsPort + "/";
    }

    public static int freePort() {
        return FreePorts.next();
    }

    @Override
    public void close() {
        server.close();
    }
}
