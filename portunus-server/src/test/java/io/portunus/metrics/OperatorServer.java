package io.portunus.metrics;

import io.portunus.FreePorts;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Portunus on free loopback ports (HTTP Janus and Admin servers, media on 127.0.0.1),
 * from a real configuration folder; {@code start} false leaves it listening but not started
 * (health "starting") until {@link #finishStart()}.
 */
final class OperatorServer implements AutoCloseable {
    static final String ADMIN_SECRET = "metrics-test-secret";
    final int httpPort = freePort();
    final int adminPort = freePort();
    final Server server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OperatorServer(String adminOptions, boolean start) throws Exception {
        this(adminOptions, start, "", Map.of());
    }

    /** {@code janusExtra}: more janus.jcfg groups; {@code files}: more configuration files by name. */
    OperatorServer(String adminOptions, boolean start, String janusExtra, Map<String, String> files) throws Exception {
        Path folder = Files.createTempDirectory("portunus-metrics");
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: { admin_secret = "%s" }
                media: { rtp_port_range = "40000-40999" }
                nat: { ice_enforce_list = "127.0.0.1" }
                %s
                """.formatted(ADMIN_SECRET, janusExtra));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(folder.resolve(f.getKey()), f.getValue());
        }
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: { http = true, port = %d, ip = "127.0.0.1" }
                admin: { admin_http = true, admin_port = %d %s }
                """.formatted(httpPort, adminPort, adminOptions));
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\nadmin: { admin_ws = false }\n");
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder));
        if (start) {
            server.start();
        } else {
            server.listen();
        }
    }

    void finishStart() {
        server.started();
    }

    String janus() {
        return "http://127.0.0.1:" + httpPort;
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort;
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A POST on a connection of its own, for requests that must reach the server exactly once
     * (a loop creating sessions that are then counted). The JDK client's pool has a race between
     * handing out an idle connection and the watcher it keeps on that connection: under load the
     * reply of a request can end up with the watcher, which closes the connection, and the caller
     * gets "header parser received no bytes" for a request the server did carry out (seen once in
     * a CI-equivalent run at load average 13). A retry would then do it twice.
     */
    HttpResponse<String> postOnItsOwnConnection(String url, String body) throws Exception {
        try (HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return own.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** An Admin API request with the secret; the reply's JSON text. */
    String adminRequest(String verb, String extra) throws Exception {
        return post(admin() + "/admin", "{\"janus\":\"" + verb + "\",\"transaction\":\"t\",\"admin_secret\":\""
                + ADMIN_SECRET + "\"" + extra + "}").body();
    }

    static int freePort() {
        return FreePorts.next();
    }

    @Override
    public void close() {
        server.close();
    }
}
