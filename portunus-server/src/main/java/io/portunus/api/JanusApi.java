package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.core.TokenStore;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.TransportSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Janus client API: validates a request's envelope, routes it by
 * (session_id, handle_id) and verb, and answers with Janus's exact replies and errors
 * (spec: janus-api.md §1-§3). No transport code here: a reply is handed to a callback.
 *
 * <p>Everything but {@code message} is handled on the caller's thread, quickly and without
 * blocking; {@code message} goes to a worker because a plugin may take its time.
 */
public final class JanusApi {
    private static final Logger LOG = LoggerFactory.getLogger(JanusApi.class);

    private final Gateway gateway;
    private final ServerInfo serverInfo;
    private final MessageRequest messages;

    public JanusApi(Gateway gateway, ServerInfo serverInfo) {
        this.gateway = gateway;
        this.serverInfo = serverInfo;
        this.messages = new MessageRequest(gateway);
    }

    /** Handles one request; {@code reply} is called exactly once. */
    public void handle(TransportSession instance, JsonNode request, Consumer<ObjectNode> reply) {
        long sessionId = request.isObject() ? Validation.id(request, "session_id") : 0;
        String transaction = null;
        try {
            if (!request.isObject()) {
                throw new ApiException(JanusError.INVALID_JSON_OBJECT);
            }
            Validation.PLAIN.check(request, "transaction", Kind.STRING, true);
            Validation.PLAIN.check(request, "janus", Kind.STRING, true);
            Validation.PLAIN.check(request, "id", Kind.POSITIVE_INTEGER, false);
            transaction = request.get("transaction").asText();
            String verb = request.get("janus").asText().toLowerCase(Locale.ROOT);
            JsonNode handleNode = request.get("handle_id");
            boolean hasHandleKey = handleNode != null && !handleNode.isNull();
            long handleId = Validation.id(request, "handle_id");
            if (sessionId == 0 && handleId == 0) {
                handleRoot(instance, request, verb, transaction, reply);
            } else {
                handleSession(instance, request, verb, transaction, sessionId, hasHandleKey, handleId, reply);
            }
        } catch (ApiException e) {
            long errorSession = e.error() == JanusError.SESSION_CONFLICT ? Validation.id(request, "id") : sessionId;
            reply.accept(Json.error(errorSession, transaction, e));
        } catch (RuntimeException e) {
            LOG.error("Request failed: {}", request, e);
            reply.accept(Json.error(sessionId, transaction, JanusError.UNKNOWN.code(), JanusError.UNKNOWN.defaultReason()));
        }
    }

    private void handleRoot(TransportSession instance, JsonNode request, String verb, String transaction,
                            Consumer<ObjectNode> reply) throws ApiException {
        switch (verb) {
            case "info" -> reply.accept(serverInfo.build(transaction));
            case "ping" -> reply.accept(Json.message("pong", 0, transaction));
            case "create" -> {
                if (!gateway.acceptNewSessions()) {
                    throw new ApiException(JanusError.NOT_ACCEPTING_SESSIONS);
                }
                authorize(request);
                Session session = gateway.createSession(Validation.id(request, "id"), instance);
                ObjectNode ok = Json.message("success", 0, transaction);
                ok.putObject("data").put("id", session.id());
                reply.accept(ok);
            }
            default -> throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
    }

    private void handleSession(TransportSession instance, JsonNode request, String verb, String transaction,
                               long sessionId, boolean hasHandleKey, long handleId, Consumer<ObjectNode> reply)
            throws ApiException {
        if (sessionId < 1) {
            throw new ApiException(JanusError.SESSION_NOT_FOUND);
        }
        if (hasHandleKey && handleId < 1) {
            throw new ApiException(JanusError.HANDLE_NOT_FOUND);
        }
        authorize(request);
        Session session = gateway.session(sessionId);
        if (session == null) {
            throw new ApiException(JanusError.SESSION_NOT_FOUND, "No such session " + sessionId);
        }
        gateway.touch(session);
        Handle handle = null;
        if (handleId > 0) {
            handle = session.handle(handleId);
            if (handle == null) {
                throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No such handle " + handleId + " in session " + sessionId);
            }
        }
        switch (verb) {
            case "keepalive" -> reply.accept(Json.message("ack", sessionId, transaction));
            case "attach" -> {
                requireNoHandle(handle, verb);
                reply.accept(attach(session, request, transaction));
            }
            case "destroy" -> {
                requireNoHandle(handle, verb);
                gateway.destroySession(session, false);
                reply.accept(Json.message("success", sessionId, transaction));
            }
            case "detach" -> {
                requireHandle(handle, verb);
                if (!gateway.detach(handle, false)) {
                    throw new ApiException(JanusError.HANDLE_NOT_FOUND, "No such handle " + handleId + " in session " + sessionId);
                }
                reply.accept(Json.message("success", sessionId, transaction));
                gateway.notify(session, gateway.handleEvent("detached", handle));
            }
            case "hangup" -> {
                requireHandle(handle, verb);
                // The "hangup" event follows once the PeerConnection is gone; none without one.
                reply.accept(Json.message("success", sessionId, transaction));
                gateway.webRtc().hangup(handle, "Janus API");
            }
            case "claim" -> {
                gateway.claim(session, instance);
                reply.accept(Json.message("success", sessionId, transaction));
            }
            case "message" -> {
                requireHandle(handle, verb);
                messages.handle(handle, request, transaction, reply);
            }
            case "trickle" -> {
                requireHandle(handle, verb);
                TrickleRequest.handle(gateway, handle, request);
                reply.accept(Json.message("ack", sessionId, transaction));
            }
            default -> throw new ApiException(JanusError.UNKNOWN_REQUEST, "Unknown request '" + verb + "'");
        }
    }

    private ObjectNode attach(Session session, JsonNode request, String transaction) throws ApiException {
        Validation.PLAIN.check(request, "plugin", Kind.STRING, true);
        Validation.PLAIN.check(request, "opaque_id", Kind.STRING, false);
        Validation.PLAIN.check(request, "loop_index", Kind.POSITIVE_INTEGER, false);
        String pluginName = request.get("plugin").asText();
        Plugin plugin = gateway.plugins().get(pluginName);
        if (plugin == null) {
            throw new ApiException(JanusError.PLUGIN_NOT_FOUND, "No such plugin '" + pluginName + "'");
        }
        String token = null;
        if (gateway.settings().tokenAuth) {
            token = Validation.text(request, "token");
            if (token != null && !gateway.tokens().allowsPlugin(token, pluginName, gateway.nowSeconds())) {
                throw new ApiException(JanusError.UNAUTHORIZED_PLUGIN, "Provided token can't access plugin '" + pluginName + "'");
            }
        }
        Handle handle = gateway.attach(session, plugin, Validation.text(request, "opaque_id"), token);
        ObjectNode ok = Json.message("success", session.id(), transaction);
        ok.putObject("data").put("id", handle.handleId());
        return ok;
    }

    /** api_secret or a valid token, either suffices; nothing configured means open (§3). */
    private void authorize(JsonNode request) throws ApiException {
        var settings = gateway.settings();
        if (isAuthorized(Validation.text(request, "apisecret"), Validation.text(request, "token"))) {
            return;
        }
        LOG.debug("Unauthorized request (api_secret {}, token_auth {})", settings.apiSecret != null, settings.tokenAuth);
        throw new ApiException(JanusError.UNAUTHORIZED);
    }

    /** The same either/or rule, for transports that authorise themselves (HTTP long polls). */
    public boolean isAuthorized(String apisecret, String token) {
        var settings = gateway.settings();
        if (settings.apiSecret == null && !settings.tokenAuth) {
            return true;
        }
        if (settings.apiSecret != null && TokenStore.secretEquals(settings.apiSecret, apisecret)) {
            return true;
        }
        return settings.tokenAuth && gateway.tokens().isValid(token, gateway.nowSeconds());
    }

    private static void requireNoHandle(Handle handle, String verb) throws ApiException {
        if (handle != null) {
            throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
    }

    private static void requireHandle(Handle handle, String verb) throws ApiException {
        if (handle == null) {
            throw new ApiException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + verb + "' at this path");
        }
    }

    /** Builds a plugin's synchronous reply: {@code success} with {@code sender} and {@code plugindata}. */
    static ObjectNode pluginSuccess(Gateway gateway, Handle handle, String transaction, ObjectNode content) {
        ObjectNode ok = Json.message("success", handle.sessionId(), transaction);
        ok.put("sender", handle.handleId());
        if (gateway.settings().opaqueIdInApi && handle.opaqueId() != null) {
            ok.put("opaque_id", handle.opaqueId());
        }
        ObjectNode pd = ok.putObject("plugindata");
        pd.put("plugin", handle.plugin().info().packageName());
        pd.set("data", content);
        return ok;
    }
}
