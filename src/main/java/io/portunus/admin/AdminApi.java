package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.ServerInfo;
import io.portunus.api.Validation;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.core.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Admin/Monitor API (admin-api.md §1): envelope checks, the admin_secret rule, and routing
 * to one small class per group of requests. Each group registers its verbs, so a new request
 * is one more entry, not a longer switch.
 */
public final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    /** A request at global scope. */
    @FunctionalInterface
    public interface GlobalVerb {
        ObjectNode handle(JsonNode request, String transaction) throws ApiException;
    }

    /** A request at session or handle scope; {@code handle} is null at session scope. */
    @FunctionalInterface
    public interface SessionVerb {
        ObjectNode handle(JsonNode request, String transaction, Session session, Handle handle) throws ApiException;
    }

    private final Gateway gateway;
    private final ServerInfo serverInfo;
    private final Map<String, GlobalVerb> global = new HashMap<>();
    private final Map<String, SessionVerb> scoped = new HashMap<>();

    public AdminApi(Gateway gateway, ServerInfo serverInfo) {
        this.gateway = gateway;
        this.serverInfo = serverInfo;
        new StatusRequests(gateway).register(this);
        new TokenRequests(gateway).register(this);
        new SessionRequests(gateway).register(this);
    }

    public void global(String verb, GlobalVerb handler) {
        global.put(verb, handler);
    }

    public void scoped(String verb, SessionVerb handler) {
        scoped.put(verb, handler);
    }

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
            JsonNode handleNode = request.get("handle_id");
            long handleId = Validation.id(request, "handle_id");
            if (sessionId == 0 && handleId == 0) {
                reply.accept(handleGlobal(request, verb, transaction));
            } else {
                if (sessionId < 1 || (handleNode != null && handleId < 1)) {
                    throw new ApiException(JanusError.SESSION_NOT_FOUND);
                }
                checkSecret(request);
                Session session = gateway.session(sessionId);
                if (session == null) {
                    throw new ApiException(JanusError.SESSION_NOT_FOUND, "No such session " + sessionId);
                }
                Handle handle = null;
                if (handleId > 0) {
                    handle = session.handle(handleId);
                    if (handle == null) {
                        throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No such handle " + handleId + " in session " + sessionId);
                    }
                }
                SessionVerb v = scoped.get(verb);
                if (v == null) {
                    throw new ApiException(JanusError.UNKNOWN_REQUEST, "Unknown request '" + verb + "'");
                }
                reply.accept(v.handle(request, transaction, session, handle));
            }
        } catch (ApiException e) {
            reply.accept(Json.error(sessionId, transaction, e));
        } catch (RuntimeException e) {
            LOG.error("Admin request failed: {}", request, e);
            reply.accept(Json.error(sessionId, transaction, JanusError.UNKNOWN.code(), JanusError.UNKNOWN.defaultReason()));
        }
    }

    private ObjectNode handleGlobal(JsonNode request, String verb, String transaction) throws ApiException {
        if (verb.equals("info")) {
            return serverInfo.build(transaction);
        }
        if (verb.equals("ping")) {
            return Json.message("pong", 0, transaction);
        }
        checkSecret(request);
        GlobalVerb v = global.get(verb);
        if (v == null) {
            throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
        return v.handle(request, transaction);
    }

    private void checkSecret(JsonNode request) throws ApiException {
        String secret = gateway.settings().adminSecret;
        if (secret != null && !TokenStore.secretEquals(secret, Validation.text(request, "admin_secret"))) {
            throw new ApiException(JanusError.UNAUTHORIZED);
        }
    }

    /** {@code {"janus":"success","transaction":T}} plus one key, the shape of most setters. */
    static ObjectNode success(String transaction) {
        return Json.message("success", 0, transaction);
    }
}
