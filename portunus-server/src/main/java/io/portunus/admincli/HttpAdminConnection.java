package io.portunus.admincli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The Admin API over HTTP: each request a POST to the admin base path (ids in the body). */
final class HttpAdminConnection implements AdminConnection {
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    HttpAdminConnection(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        // The JDK client: the CLI is a separate short-lived process, not part of the server's net/ layer.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public JsonNode send(ObjectNode request) throws Unreachable {
        HttpRequest post = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build();
        HttpResponse<String> reply;
        try {
            reply = client.send(post, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no reply from " + url + " within " + AdminCli.seconds(timeout));
        } catch (ConnectException e) {
            throw new Unreachable("cannot connect to " + url + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
        try {
            JsonNode json = AdminCli.JSON.readTree(reply.body());
            if (json == null || !json.isObject()) {
                throw new Unreachable(url + " answered HTTP " + reply.statusCode() + " without a JSON object: is it an Admin API?");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new Unreachable(url + " answered HTTP " + reply.statusCode() + " without JSON: is it an Admin API?");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
