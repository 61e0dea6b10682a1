package io.portunus.it;

import io.portunus.schema.Schemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin HTTP server serves the JSON Schemas at /schema/<name>.json, and nothing else from there. */
class SchemaEndpointTest {
    static TestServer server;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"s\"");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everySchemaIsServedUnderBothNamesAsInDocs() throws Exception {
        for (String name : Schemas.names()) {
            String docs = Files.readString(Schemas.repoPath("docs/schema").resolve(name + ".schema.json"));
            for (String path : new String[] {"/schema/" + name + ".json", "/schema/" + name + ".schema.json"}) {
                HttpResponse<String> reply = get(server.adminHttpPort, path);
                assertThat(reply.statusCode()).as(path).isEqualTo(200);
                assertThat(reply.headers().firstValue("content-type")).contains("application/schema+json");
                assertThat(reply.body()).as(path).isEqualTo(docs);
            }
        }
        assertThat(Schemas.text("event")).isEqualTo(get(server.adminHttpPort, "/schema/event.json").body());
    }

    @Test
    void unknownNamesOtherMethodsAndTheJanusApiServerGetNoSchema() throws Exception {
        for (String path : new String[] {"/schema/nope.json", "/schema/event", "/schema/../version.json", "/schema/%2e%2e/pom.json",
                "/schema/", "/schema/io/portunus/schema/event.json"}) {
            assertThat(get(server.adminHttpPort, path).statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminHttpPort + "/schema/event.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get(server.httpPort, "/schema/event.json").statusCode()).as("not on the Janus API server").isEqualTo(404);
        // The Admin API itself is unchanged next to it.
        assertThat(new HttpClientHelper().request(server.admin(), "ping").path("janus").asText()).isEqualTo("pong");
    }
}
