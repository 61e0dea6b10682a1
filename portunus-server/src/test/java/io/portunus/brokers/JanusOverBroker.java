package io.portunus.brokers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw Janus API client over a broker: requests matched to replies by transaction, everything else queued. */
abstract class JanusOverBroker implements AutoCloseable {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final Map<String, BlockingQueue<JsonNode>> byTransaction = new ConcurrentHashMap<>();

    /** Sends one request (to the admin destination when {@code admin}). */
    abstract void send(ObjectNode request, boolean admin) throws Exception;

    void deliver(JsonNode message) {
        received.add(message);
        String tx = message.path("transaction").asText(null);
        if (tx != null) {
            byTransaction.computeIfAbsent(tx, k -> new LinkedBlockingQueue<>()).add(message);
        }
    }

    /** The first message with this request's transaction (the reply, or the ack). */
    JsonNode request(ObjectNode body, boolean admin) throws Exception {
        String tx = body.has("transaction") ? body.get("transaction").asText() : UUID.randomUUID().toString();
        body.put("transaction", tx);
        if (admin) {
            body.put("admin_secret", BrokerServer.ADMIN_SECRET);
        }
        send(body, admin);
        return next(tx, 10);
    }

    JsonNode next(String tx, int seconds) throws InterruptedException {
        JsonNode r = byTransaction.computeIfAbsent(tx, k -> new LinkedBlockingQueue<>()).poll(seconds, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no answer to transaction " + tx + " within " + seconds + " s");
        }
        return r;
    }

    static ObjectNode janus(String verb) {
        return Json.object().put("janus", verb);
    }
}
