package io.portunus.dashboard;

import io.portunus.core.spi.OperatorRoutes;
import io.portunus.core.spi.OperatorRoutes.Answer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The secret check of the live feed, and what the static routes serve and refuse. */
class DashboardRoutesTest {
    private final LiveFeed feed = new LiveFeed(10, 10, (e, t) -> new byte[0]);
    private final OperatorRoutes behind = (method, path, admin, authorization) -> new Answer(299, "text/plain", new byte[0]);
    private final DashboardRoutes routes = new DashboardRoutes(() -> "janusoverlord", feed, new CaptureDownload(null), behind);

    private Answer post(String body) {
        return routes.answer("POST", "/dashboard/feed", true, null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFeedStartsOnlyWithTheAdminSecret() {
        for (String wrong : new String[] {"", "{}", "{\"admin_secret\":\"nope\"}", "{\"admin_secret\":42}",
                "{\"admin_secret\":null}", "not json", "{\"admin_secret\":\"janusoverlord \"}"}) {
            Answer a = post(wrong);
            assertThat(a.status()).as(wrong).isEqualTo(403);
            assertThat(a.stream()).as(wrong).isNull();
        }
        assertThat(feed.browsers()).isZero();
        assertThat(routes.answer("GET", "/dashboard/feed", true, null).status()).isEqualTo(405);

        Answer ok = post("{\"admin_secret\":\"janusoverlord\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.contentType()).isEqualTo("application/x-ndjson");
        assertThat(ok.stream()).isNotNull();
        assertThat(feed.browsers()).isEqualTo(1);
        assertThat(new String(ok.stream().next(), StandardCharsets.US_ASCII)).contains("\"started\":true");
        ok.stream().closed();
        assertThat(feed.browsers()).isZero();
    }

    @Test
    void staticFilesFromTheJarAndNothingElse() {
        Answer index = routes.answer("GET", "/dashboard/", true, null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).contains("id=\"signin\"", "id=\"secret\"");
        assertThat(routes.answer("GET", "/dashboard", true, null).status()).isEqualTo(200);
        Answer script = routes.answer("GET", "/dashboard/app.js", true, null);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(routes.answer("GET", "/dashboard/uPlot.iife.min.js", true, null).status()).isEqualTo(200);
        assertThat(routes.answer("GET", "/dashboard/uPlot-LICENSE.txt", true, null).status()).isEqualTo(200);
        assertThat(routes.answer("GET", "/dashboard/../defaults/janus.jcfg", true, null).status()).isEqualTo(404);
        assertThat(routes.answer("GET", "/dashboard/..%2fdefaults%2fjanus.jcfg", true, null).status()).isEqualTo(404);
        assertThat(routes.answer("GET", "/dashboard/nothing.js", true, null).status()).isEqualTo(404);
        assertThat(routes.answer("DELETE", "/dashboard/", true, null).status()).isEqualTo(405);
    }

    @Test
    void captureDownloadsOnlyWithTheSecretAndOnlyFromTheCaptureRoot() throws Exception {
        Path root = Files.createTempDirectory("portunus-captures");
        Files.write(root.resolve("call.pcap"), new byte[] {1, 2, 3});
        Path outside = Files.createTempFile("portunus-outside", ".pcap");
        DashboardRoutes withCaptures = new DashboardRoutes(() -> "janusoverlord", feed, new CaptureDownload(root.toString()), behind);
        Answer ok = withCaptures.answer("POST", "/dashboard/capture", true, null,
                "{\"admin_secret\":\"janusoverlord\",\"file\":\"call.pcap\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).containsExactly(1, 2, 3);
        assertThat(ok.contentType()).isEqualTo("application/vnd.tcpdump.pcap");
        Answer absolute = withCaptures.answer("POST", "/dashboard/capture", true, null,
                ("{\"admin_secret\":\"janusoverlord\",\"file\":\"" + root.resolve("call.pcap") + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(absolute.status()).as("handle_info's absolute pcap-file").isEqualTo(200);
        for (String file : new String[] {outside.toString(), "../" + outside.getFileName(), "nothing.pcap", ""}) {
            Answer refused = withCaptures.answer("POST", "/dashboard/capture", true, null,
                    ("{\"admin_secret\":\"janusoverlord\",\"file\":\"" + file + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(refused.status()).as(file).isIn(400, 404);
        }
        Answer noSecret = withCaptures.answer("POST", "/dashboard/capture", true, null,
                "{\"file\":\"call.pcap\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noSecret.status()).isEqualTo(403);
    }

    @Test
    void onlyOnTheAdminServerOtherPathsPassThrough() {
        assertThat(routes.answer("GET", "/dashboard/", false, null).status()).isEqualTo(299);
        assertThat(routes.answer("GET", "/metrics", true, null).status()).isEqualTo(299);
        assertThat(routes.answer("GET", "/dashboardx", true, null).status()).isEqualTo(299);
    }
}
