package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A plain HTTP client for the Janus and Admin APIs (JDK HttpClient, HTTP/1.1 keep-alive). */
final class HttpClientHelper {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Reply post(String url, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply post(String url, byte[] body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply get(String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    JsonNode request(String url, ObjectNode body) throws Exception {
        if (!body.has("transaction")) {
            body.put("transaction", UUID.randomUUID().toString());
        }
        return post(url, body.toString()).json();
    }

    JsonNode request(String url, String janus) throws Exception {
        ObjectNode body = Json.object();
        body.put("janus", janus);
        return request(url, body);
    }

    long createSession(String base) throws Exception {
        return request(base, "create").path("data").path("id").asLong();
    }

    long attach(String base, long session, String plugin) throws Exception {
        ObjectNode body = Json.object();
        body.put("janus", "attach");
        body.put("plugin", plugin);
        return request(base + "/" + session, body).path("data").path("id").asLong();
    }
}
