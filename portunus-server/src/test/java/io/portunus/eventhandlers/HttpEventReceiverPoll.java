package io.portunus.eventhandlers;

import io.portunus.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A Janus API long poll, to wait for a session's next event as a client would. */
final class HttpEventReceiverPoll {
    private HttpEventReceiverPoll() {
    }

    static void awaitEvent(String sessionUrl) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        String body = c.send(HttpRequest.newBuilder(URI.create(sessionUrl + "?maxev=1")).timeout(Duration.ofSeconds(35)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        if (!"event".equals(Json.MAPPER.readTree(body).path("janus").asText())) {
            throw new AssertionError("expected an event, got " + body);
        }
    }
}
