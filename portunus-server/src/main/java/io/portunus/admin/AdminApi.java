package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.ServerInfo;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.core.TokenStore;
import io.portunus.events.EventBus;
import io.portunus.webrtc.WebRtc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Admin/Monitor API (admin-api.md §1): envelope checks, the admin_secret rule, scopes, and
 * routing to one small class per group of requests. Each group registers its verbs with the
 * scope they belong to, so a new request is one more entry, not a longer switch.
 *
 * <p>Requests run on the transport's thread unless registered as slow ({@link #globalSlow}):
 * those (plugin messages, DNS, STUN) run on a worker and answer when done.
 */
public final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    /** A request at global scope. */
    @FunctionalInterface
    public interface GlobalVerb {
        ObjectNode handle(JsonNode request, String transaction) throws ApiException;
    }

    /** A request at session scope. */
    @FunctionalInterface
    public interface SessionVerb {
        ObjectNode handle(JsonNode request, String transaction, Session session) throws ApiException;
    }

    /** A request at handle scope. */
    @FunctionalInterface
    public interface HandleVerb {
        ObjectNode handle(JsonNode request, String transaction, Handle handle) throws ApiException;
    }

    private final Gateway gateway;
    private final ServerInfo serverInfo;
    private final WebRtc webRtc;
    private final Map<String, GlobalVerb> global = new HashMap<>();
    private final Set<String> slow = new HashSet<>();
    private final Map<String, SessionVerb> sessionVerbs = new HashMap<>();
    private final Map<String, HandleVerb> handleVerbs = new HashMap<>();

    /**
     * @param webRtc the WebRTC adapter (handle_info's webrtc part, captures, hangups)
     * @param events the event handlers' dispatcher (query_eventhandler)
     */
    public AdminApi(Gateway gateway, ServerInfo serverInfo, WebRtc webRtc, EventBus events) {
        this.gateway = gateway;
        this.serverInfo = serverInfo;
        this.webRtc = webRtc;
        new StatusRequests(gateway).register(this);
        new TokenRequests(gateway).register(this);
        new SessionRequests(gateway).register(this);
        new HandleRequests(gateway, webRtc).register(this);
        new CaptureRequests(gateway, webRtc.captures()).register(this);
        new ModuleRequests(gateway).register(this);
        new NetworkRequests(gateway).register(this);
        new EventRequests(gateway, events).register(this);
    }

    public void global(String verb, GlobalVerb handler) {
        global.put(verb, handler);
    }

    /** A global request that may take time: it runs on a worker thread, never on an I/O thread. */
    public void globalSlow(String verb, GlobalVerb handler) {
        global.put(verb, handler);
        slow.add(verb);
    }

    public void session(String verb, SessionVerb handler) {
        sessionVerbs.put(verb, handler);
    }

    public void handle(String verb, HandleVerb handler) {
        handleVerbs.put(verb, handler);
    }

    /** A handle's {@code handle_info} object (admin-api.md §4.1), for Portunus's own records of calls. */
    public ObjectNode handleInfo(Handle handle) {
        return HandleInfo.build(gateway, webRtc, handle, false);
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Whether {@code verb} (lower case) is an Admin API request, for the metrics' bounded verb label. */
    public boolean knowsVerb(String verb) {
        return verb.equals("info") || verb.equals("ping") || global.containsKey(verb)
                || sessionVerbs.containsKey(verb) || handleVerbs.containsKey(verb);
    }

    /** Handles one request; {@code reply} is called exactly once, possibly from a worker thread. */
    public void handle(JsonNode request, Consumer<ObjectNode> reply) {
        long sessionId = request.isObject() ? Validation.id(request, "session_id") : 0;
        String transaction = null;
        try {
            if (!request.isObject()) {
                throw new ApiException(JanusError.INVALID_JSON_OBJECT);
            }
            Validation.PLAIN.check(request, "transaction", Kind.STRING, true);
            Validation.PLAIN.check(request, "janus", Kind.STRING, true);
            transaction = request.get("transaction").asText();
            String verb = request.get("janus").asText().toLowerCase(Locale.ROOT);
            long handleId = Validation.id(request, "handle_id");
            if (sessionId == 0 && handleId == 0) {
                handleGlobal(request, verb, transaction, reply);
            } else {
                reply.accept(handleScoped(request, verb, transaction, sessionId, handleId));
            }
        } catch (ApiException e) {
            reply.accept(Json.error(sessionId, transaction, e));
        } catch (RuntimeException e) {
            LOG.error("Admin request failed: {}", request, e);
            reply.accept(Json.error(sessionId, transaction, JanusError.UNKNOWN.code(), JanusError.UNKNOWN.defaultReason()));
        }
    }

    private void handleGlobal(JsonNode request, String verb, String transaction, Consumer<ObjectNode> reply)
            throws ApiException {
        if (verb.equals("info")) {
            reply.accept(serverInfo.build(transaction));
            return;
        }
        if (verb.equals("ping")) {
            reply.accept(Json.message("pong", 0, transaction));
            return;
        }
        checkSecret(request);
        GlobalVerb v = global.get(verb);
        if (v == null) {
            throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
        if (!slow.contains(verb)) {
            reply.accept(v.handle(request, transaction));
            return;
        }
        gateway.workers().execute(() -> {
            try {
                reply.accept(v.handle(request, transaction));
            } catch (ApiException e) {
                reply.accept(Json.error(0, transaction, e));
            } catch (RuntimeException e) {
                LOG.error("Admin request failed: {}", request, e);
                reply.accept(Json.error(0, transaction, JanusError.UNKNOWN.code(), JanusError.UNKNOWN.defaultReason()));
            }
        });
    }

    private ObjectNode handleScoped(JsonNode request, String verb, String transaction, long sessionId, long handleId)
            throws ApiException {
        JsonNode handleNode = request.get("handle_id");
        // Admin uses 458 for a bad handle_id too (admin-api.md §1.4).
        if (sessionId < 1 || (handleNode != null && !handleNode.isNull() && handleId < 1)) {
            throw new ApiException(JanusError.SESSION_NOT_FOUND);
        }
        checkSecret(request);
        Session session = gateway.session(sessionId);
        if (session == null) {
            throw new ApiException(JanusError.SESSION_NOT_FOUND, "No such session " + sessionId);
        }
        if (handleId == 0) {
            SessionVerb v = sessionVerbs.get(verb);
            if (v == null) {
                throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
            }
            return v.handle(request, transaction, session);
        }
        Handle handle = session.handle(handleId);
        if (handle == null) {
            throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No such handle " + handleId + " in session " + sessionId);
        }
        HandleVerb v = handleVerbs.get(verb);
        if (v == null) {
            throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
        return v.handle(request, transaction, handle);
    }

    private void checkSecret(JsonNode request) throws ApiException {
        if (!TokenStore.secretEquals(gateway.adminSecret(), Validation.text(request, "admin_secret"))) {
            throw new ApiException(JanusError.UNAUTHORIZED);
        }
    }

    /** {@code {"janus":"success","transaction":T}}, the start of most replies. */
    static ObjectNode success(String transaction) {
        return Json.message("success", 0, transaction);
    }
}
