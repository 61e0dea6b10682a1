package io.portunus.it;

import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS and WSS from cert_pem/cert_key (a certificate made by openssl), and transport ACLs. */
class TlsAndAclTest {

    @Test
    void httpsAndWssServeTheJanusApi() throws Exception {
        Path dir = Files.createTempDirectory("portunus-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        int https = TestServer.freePort();
        int wss = TestServer.freePort();
        String certs = "certificates: { cert_pem = \"%s\", cert_key = \"%s\" }\n".formatted(cert, key);
        Files.writeString(dir.resolve("janus.transport.http.jcfg"),
                "general: { http = false, https = true, secure_port = %d, secure_ip = \"127.0.0.1\" }\nadmin: { admin_http = false }\n"
                        .formatted(https) + certs);
        Files.writeString(dir.resolve("janus.transport.websockets.jcfg"),
                "general: { ws = false, wss = true, wss_port = %d, wss_ip = \"127.0.0.1\" }\nadmin: { admin_ws = false }\n"
                        .formatted(wss) + certs);
        try (Server server = new Server(CoreSettings.defaults(), new ConfigFolder(dir)).start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> info = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/janus/info"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(info.body()).contains("\"janus\":\"server_info\"");
            CompletableFuture<String> pong = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().subprotocols("janus-protocol")
                    .buildAsync(URI.create("wss://127.0.0.1:" + wss + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            pong.complete(data.toString());
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("{\"janus\":\"ping\",\"transaction\":\"t\"}", true);
            assertThat(pong.get(5, TimeUnit.SECONDS)).isEqualTo("{\"janus\":\"pong\",\"transaction\":\"t\"}");
            ws.abort();
        }
    }

    @Test
    void aclRefusesOtherAddresses() throws Exception {
        Path dir = Files.createTempDirectory("portunus-acl");
        int open = TestServer.freePort();
        int closed = TestServer.freePort();
        Files.writeString(dir.resolve("janus.transport.http.jcfg"),
                "general: { http = true, port = %d, ip = \"127.0.0.1\", acl = \"127.0.0.1\" }\nadmin: { admin_http = true, admin_port = %d, admin_acl = \"10.9.9.\" }\n"
                        .formatted(open, closed));
        Files.writeString(dir.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\nadmin: { admin_ws = false }\n");
        try (Server server = new Server(CoreSettings.defaults(), new ConfigFolder(dir)).start()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            var allowed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/janus/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).isEqualTo(200);
            var refused = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/admin/info"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused).failsWithin(6, TimeUnit.SECONDS);
        }
    }

    @Test
    void corsAllowOriginIsSentAndEnforced() throws Exception {
        Path dir = Files.createTempDirectory("portunus-cors");
        int port = TestServer.freePort();
        Files.writeString(dir.resolve("janus.transport.http.jcfg"),
                "general: { http = true, port = %d, ip = \"127.0.0.1\" }\nadmin: { admin_http = false }\ncors: { allow_origin = \"https://app.example\", enforce_cors = true }\n"
                        .formatted(port));
        Files.writeString(dir.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\nadmin: { admin_ws = false }\n");
        try (Server server = new Server(CoreSettings.defaults(), new ConfigFolder(dir)).start()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String url = "http://127.0.0.1:" + port + "/janus";
            var preflight = client.send(HttpRequest.newBuilder(URI.create(url))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
            assertThat(preflight.headers().firstValue("access-control-allow-credentials")).contains("true");
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).contains("POST");
            assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("content-type");
            assertThat(preflight.headers().firstValue("access-control-max-age")).contains("86400");
            var allowed = client.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "https://app.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"janus\":\"ping\",\"transaction\":\"t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.body()).contains("pong");
            var refused = client.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "https://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"janus\":\"ping\",\"transaction\":\"t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }
}
