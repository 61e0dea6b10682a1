package io.portunus.eventhandlers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.ModuleInfo;
import io.portunus.core.event.SerializedEvent;
import io.portunus.core.spi.EventHandler;
import io.portunus.core.spi.EventHandlerContext;
import io.portunus.events.Batches;
import io.portunus.events.Gzip;
import io.portunus.events.HandlerOptions;
import io.portunus.events.HandlerRequests.Kind;
import io.portunus.events.HandlerRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code janus.eventhandler.sampleevh}: POSTs events to an HTTP backend (event-handlers.md §1),
 * grouped into JSON arrays of up to 100, optionally gzipped, with basic auth and retries after
 * {@code retransmissions_backoff × 2^n} ms. Retries happen on the handler's own thread, so
 * later events wait behind the failed batch and the order is kept.
 */
public final class HttpEventHandler implements EventHandler {
    public static final String PACKAGE = "janus.eventhandler.sampleevh";
    private static final Logger LOG = LoggerFactory.getLogger(HttpEventHandler.class);
    /** The longest pause between two attempts at one POST. */
    static final long MAX_PAUSE_MS = 500;
    /** Janus's curl timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String SIGNATURE_HEADER = "X-Portunus-Signature";

    private static final ModuleInfo INFO = new ModuleInfo(PACKAGE, "Portunus HTTP event handler", "The Portunus authors",
            "This event handler forwards events via HTTP POST, as Janus's sample event handler.", 1, "0.0.1",
            List.of("libjanus_sampleevh.so"));

    private HandlerOptions options;
    private volatile HttpHandlerSettings settings;
    private int maxBatch;
    private HttpClient client;

    @Override
    public ModuleInfo info() {
        return INFO;
    }

    @Override
    public boolean init(ConfigGroup config, EventHandlerContext context) {
        ConfigGroup general = config.group("general");
        options = new HandlerOptions(general, PACKAGE);
        if (!options.enabled) {
            return false;
        }
        settings = HttpHandlerSettings.from(general);
        // As Janus, the batch cap is fixed at start; a later tweak of grouping only changes array vs object.
        maxBatch = options.grouping() ? HandlerOptions.GROUP_SIZE : 1;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        return true;
    }

    @Override
    public int mask() {
        return options.mask();
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void deliver(List<SerializedEvent> batch) throws IOException, InterruptedException {
        if (options.grouping()) {
            post(Batches.array(batch, options.json));
        } else {
            for (SerializedEvent e : batch) {
                post(Batches.single(e, options.json));
            }
        }
    }

    /** One POST with Janus's retries; throws when the last attempt failed. */
    private void post(byte[] json) throws IOException, InterruptedException {
        HttpHandlerSettings s = settings;
        byte[] body = s.compress() ? Gzip.compress(json, s.compression()) : json;
        HttpRequest.Builder request = HttpRequest.newBuilder(s.backend()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (s.compress()) {
            request.header("Content-Encoding", "gzip");
        }
        if (s.basicAuth()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (s.user() + ":" + s.password()).getBytes(StandardCharsets.UTF_8)));
        }
        if (s.hmacSecret() != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + hmac(s.hmacSecret(), body));
        }
        HttpRequest built = request.build();
        String failure = null;
        for (int attempt = 0; attempt <= s.maxRetransmissions(); attempt++) {
            if (attempt > 0) {
                // Janus's backoff, each pause capped so that a backend that came back is used within a second.
                Thread.sleep(Math.min((long) s.backoffMs() << Math.min(attempt - 1, 20), MAX_PAUSE_MS));
            }
            try {
                HttpResponse<Void> reply = client.send(built, HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() / 100 == 2 || !s.failOnHttpError()) {
                    return;
                }
                failure = "HTTP " + reply.statusCode();
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            LOG.debug("{}: POST to {} failed ({}), attempt {}", PACKAGE, s.backend(), failure, attempt + 1);
        }
        throw new IOException("POST to " + s.backend() + " failed " + (s.maxRetransmissions() + 1) + " times, last: " + failure);
    }

    /** The body's HMAC-SHA256 in hex, for backends to check who sent it (Portunus's own). */
    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** {@code tweak} (event-handlers.md §1); types checked first, so a bad request changes nothing. */
    @Override
    public ObjectNode handleRequest(JsonNode request) {
        ObjectNode invalid = HandlerRequests.checkTweak(request,
                HandlerRequests.field("events", Kind.STRING),
                HandlerRequests.field("grouping", Kind.BOOLEAN),
                HandlerRequests.field("compress", Kind.BOOLEAN),
                HandlerRequests.field("compression", Kind.POSITIVE_INTEGER),
                HandlerRequests.field("backend", Kind.STRING),
                HandlerRequests.field("backend_user", Kind.STRING),
                HandlerRequests.field("backend_pwd", Kind.STRING),
                HandlerRequests.field("max_retransmissions", Kind.POSITIVE_INTEGER),
                HandlerRequests.field("retransmissions_backoff", Kind.POSITIVE_INTEGER));
        if (invalid != null) {
            return invalid;
        }
        HttpHandlerSettings s = settings;
        if (request.has("backend")) {
            String backend = request.get("backend").asText();
            try {
                s = s.withBackend(HttpHandlerSettings.uri(backend));
            } catch (IllegalArgumentException e) {
                return HandlerRequests.error(HandlerRequests.INVALID_ELEMENT, "Invalid HTTP URI '" + backend + "'");
            }
        }
        if (request.has("backend_user") || request.has("backend_pwd")) {
            s = s.withCredentials(request.path("backend_user").asText(s.user()), request.path("backend_pwd").asText(s.password()));
        }
        if (request.has("max_retransmissions") || request.has("retransmissions_backoff")) {
            s = s.withRetries(request.path("max_retransmissions").asInt(s.maxRetransmissions()),
                    request.path("retransmissions_backoff").asInt(s.backoffMs()));
        }
        if (request.has("compress") || request.has("compression")) {
            int level = request.path("compression").asInt(s.compression());
            s = s.withCompression(request.path("compress").asBoolean(s.compress()), level <= 9 ? level : s.compression());
        }
        if (request.has("events")) {
            options.setEvents(request.get("events").asText());
        }
        if (request.has("grouping")) {
            options.grouping(request.get("grouping").asBoolean());
        }
        settings = s;
        return HandlerRequests.ok();
    }

    @Override
    public void destroy() {
        if (client != null) {
            client.close();
        }
    }
}
