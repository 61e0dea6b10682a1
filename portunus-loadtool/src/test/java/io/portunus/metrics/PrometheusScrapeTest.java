package io.portunus.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #18 must-show 1: a real Prometheus (Debian's {@code prometheus}) scrapes a Portunus
 * carrying EchoTest calls from the load tool (real ICE, DTLS, SRTP over loopback); its query
 * API returns non-zero packet and session series; {@code promtool check metrics} finds nothing
 * wrong in {@code /metrics}; and 1,000 more sessions leave the number of series unchanged.
 */
class PrometheusScrapeTest {
    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final String PROMTOOL = "/usr/bin/promtool";

    @Test
    void prometheusScrapesLiveMediaAndSeriesStayBounded() throws Exception {
        assertThat(Path.of(PROMETHEUS)).as("Debian package prometheus (run-tests installs it)").isExecutable();
        Path dir = Files.createTempDirectory("portunus-prometheus");
        try (OperatorServer s = new OperatorServer("", true)) {
            int promPort = OperatorServer.freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: portunus
                        metrics_path: /metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(s.adminPort));
            Process prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String prom = "http://127.0.0.1:" + promPort;
                waitFor(() -> status(s, prom + "/-/ready") == 200, 60, "Prometheus ready");

                // Two EchoTest calls, audio and video, for a few seconds.
                Process load = loadTool(s, dir);
                assertThat(load.waitFor(240, TimeUnit.SECONDS)).as("load tool finished").isTrue();
                String result = Files.readString(dir.resolve("load.json"));
                // One call carrying media is what is needed; on a machine loaded far beyond its
                // cores a DTLS handshake may still time out (seen at load average 40 on 2 cores).
                assertThat(Json.MAPPER.readTree(result).path("sessions_up").asInt())
                        .as("load tool: " + result + Files.readString(dir.resolve("load.err"))).isPositive();

                // Prometheus saw the media and the sessions while the calls ran.
                waitFor(() -> query(s, prom, "sum(portunus_media_packets_total{direction=\"in\",kind=\"video\"})") > 0, 30,
                        "incoming video packets in Prometheus");
                assertThat(query(s, prom, "sum(portunus_media_packets_total{direction=\"out\",kind=\"audio\"})")).isPositive();
                assertThat(query(s, prom, "sum(portunus_media_bytes_total{direction=\"out\"})")).isPositive();
                assertThat(query(s, prom, "max_over_time(portunus_sessions[10m])")).isGreaterThanOrEqualTo(1);
                assertThat(query(s, prom, "max_over_time(portunus_peerconnections{state=\"connected\",plugin=\"janus.plugin.echotest\"}[10m])"))
                        .isGreaterThanOrEqualTo(1);
                // The stats tick fed the loss histogram (the load tool sends no report blocks, so no round trip).
                assertThat(query(s, prom, "sum(portunus_media_loss_ratio_count{kind=\"video\"})")).isPositive();
                assertThat(query(s, prom, "sum(portunus_transport_requests_total{transport=\"janus.transport.http\",api=\"janus\"})"))
                        .isPositive();
                assertThat(query(s, prom, "up{job=\"portunus\"}")).isEqualTo(1);
                // The calls are over: their counts stay (retired totals), and no counter ever went down.
                String ended = s.get(s.admin() + "/metrics").body();
                assertThat(value(ended, "portunus_peerconnections{plugin=\"janus.plugin.echotest\",state=\"connected\"}")).isZero();
                assertThat(value(ended, "portunus_media_packets_total{direction=\"in\",kind=\"video\"}")).isPositive();
                waitFor(() -> query(s, prom, "portunus_peerconnections{state=\"connected\"}") == 0, 30, "the end of the calls in Prometheus");
                assertThat(query(s, prom, "sum(resets(portunus_media_packets_total[10m])) + sum(resets(portunus_media_bytes_total[10m]))"))
                        .isZero();

                // promtool's lint of the exposition.
                String text = s.get(s.admin() + "/metrics").body();
                Process check = new ProcessBuilder(PROMTOOL, "check", "metrics").redirectErrorStream(true).start();
                check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                check.getOutputStream().close();
                String problems = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(problems).as("promtool check metrics").isEmpty();
                assertThat(check.exitValue()).isZero();

                // Cardinality: 1,000 sessions (each with an EchoTest handle) add no series.
                Set<String> before = series(s.get(s.admin() + "/metrics").body());
                for (int i = 0; i < 1000; i++) {
                    JsonNode created = Json.MAPPER.readTree(s.postOnItsOwnConnection(s.janus() + "/janus",
                            "{\"janus\":\"create\",\"transaction\":\"c" + i + "\"}").body());
                    long session = created.path("data").path("id").asLong();
                    assertThat(session).isPositive();
                    s.postOnItsOwnConnection(s.janus() + "/janus/" + session,
                            "{\"janus\":\"attach\",\"plugin\":\"janus.plugin.echotest\",\"transaction\":\"a" + i + "\"}");
                }
                String after = s.get(s.admin() + "/metrics").body();
                assertThat(value(after, "portunus_sessions")).isEqualTo(1000);
                assertThat(value(after, "portunus_handles{plugin=\"janus.plugin.echotest\"}")).isEqualTo(1000);
                assertThat(series(after)).isEqualTo(before);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** The load tool as its own process, as tests/load-smoke.sh runs it, over loopback. */
    private static Process loadTool(OperatorServer s, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.portunus.loadtool.LoadTool",
                "--server", s.janus() + "/janus", "--local-address", "127.0.0.1", "--sessions", "2", "--ramp", "2",
                "--warmup", "1", "--duration", "4", "--video-bitrate", "300k", "--setup-timeout", "90", "--json"));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("load.json").toFile())
                .redirectError(dir.resolve("load.err").toFile()).start();
    }

    /**
     * Every series of an exposition (name and labels), but the GC pause timer's: its labels are
     * the collector's action and cause, which appear the first time the JVM collects for that
     * cause, whatever Portunus carries.
     */
    private static Set<String> series(String exposition) {
        return exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.substring(0, l.lastIndexOf(' ')))
                .filter(k -> !k.startsWith("jvm_gc_pause_seconds"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static double value(String exposition, String key) {
        return exposition.lines().filter(l -> l.startsWith(key + " ")).mapToDouble(l -> Double.parseDouble(l.substring(key.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + key));
    }

    /** An instant query's single value (NaN for no result). */
    private static double query(OperatorServer s, String prom, String promql) {
        try {
            String body = s.get(prom + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
            JsonNode r = Json.MAPPER.readTree(body);
            assertThat(r.path("status").asText()).as(body).isEqualTo("success");
            JsonNode result = r.path("data").path("result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
        } catch (Exception e) {
            throw new AssertionError(promql, e);
        }
    }

    private static int status(OperatorServer s, String url) {
        try {
            return s.get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
