package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portunus.core.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A backend for the HTTP handler on 127.0.0.1: records every POSTed event (unwrapping arrays,
 * gunzipping), the raw bodies and headers; can answer slowly, answer 5xx, or go away and come
 * back on the same port.
 */
public final class HttpEventReceiver implements AutoCloseable {
    public final Received events = new Received();
    public final List<Post> posts = new CopyOnWriteArrayList<>();
    public final AtomicInteger status = new AtomicInteger(200);
    public volatile long delayMs;
    private final int port;
    private HttpServer server;

    /** One POST as received: its headers and its body before gunzip. */
    public record Post(Headers headers, byte[] body, JsonNode json) {
    }

    public HttpEventReceiver() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/events";
    }

    public int port() {
        return port;
    }

    private HttpServer start(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 100);
        s.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().factory()));
        s.createContext("/", this::handle);
        s.start();
        return s;
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            int code = status.get();
            if (code < 300) {
                InputStream in = new ByteArrayInputStream(body);
                if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
                    in = new GZIPInputStream(in);
                }
                JsonNode json = Json.MAPPER.readTree(in);
                posts.add(new Post(x.getRequestHeaders(), body, json));
                if (json.isArray()) {
                    json.forEach(events::add);
                } else {
                    events.add(json);
                }
            }
            x.sendResponseHeaders(code, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            x.close();
        }
    }

    /** The backend goes away: connections are refused until {@link #up}. */
    public synchronized void down() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    public synchronized void up() throws IOException {
        server = start(port);
    }

    @Override
    public synchronized void close() {
        down();
    }
}
