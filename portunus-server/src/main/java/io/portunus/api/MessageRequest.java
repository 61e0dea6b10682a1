package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The {@code message} request (janus-api.md §2.3): body and JSEP validation in Janus's order
 * and texts, then the plugin call on a worker thread, in order per handle, then {@code success},
 * {@code ack} (followed by the plugin's asynchronous work) or error 462.
 */
final class MessageRequest {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRequest.class);
    private final Gateway gateway;

    MessageRequest(Gateway gateway) {
        this.gateway = gateway;
    }

    void handle(Handle handle, JsonNode request, String transaction, Consumer<ObjectNode> reply) throws ApiException {
        if (!handle.isAlive()) {
            throw new ApiException(JanusError.PLUGIN_MESSAGE, "No plugin to handle this message");
        }
        Validation.PLAIN.check(request, "body", Kind.OBJECT, true);
        ObjectNode body = (ObjectNode) request.get("body");
        JsonNode jsepNode = request.get("jsep");
        boolean hasJsep = jsepNode != null && !jsepNode.isNull();
        if (hasJsep && !jsepNode.isObject()) {
            throw new ApiException(JanusError.INVALID_JSON_OBJECT, "Invalid jsep object");
        }
        long sessionId = handle.sessionId();
        boolean offer = hasJsep && jsepNode.path("type").asText("").equalsIgnoreCase("offer");
        if (offer) {
            gateway.webRtc().offerArriving(handle);
        }
        // On a worker, never an I/O thread (setting up a PeerConnection binds sockets and waits
        // for them), and in order per handle: this message's ack and asynchronous work are done
        // before the handle's next message starts, as Janus runs a plugin's messages.
        handle.messages().execute(() -> {
            ObjectNode strippedJsep = null;
            if (hasJsep) {
                ObjectNode refused = null;
                try {
                    strippedJsep = validateJsep(handle, jsepNode);
                } catch (ApiException e) {
                    refused = Json.error(sessionId, transaction, e);
                } catch (RuntimeException e) {
                    LOG.error("JSEP processing failed", e);
                    refused = Json.error(sessionId, transaction, JanusError.UNKNOWN.code(), "Error setting ICE locally");
                } finally {
                    if (offer) {
                        gateway.webRtc().offerProcessed(handle);
                    }
                }
                if (refused != null) {
                    // Only now: a client that reads the error and asks handle_info sees processing-offer cleared.
                    reply.accept(refused);
                    return;
                }
            }
            PluginResult result;
            try {
                result = handle.plugin().handleMessage(handle, transaction, body, strippedJsep);
            } catch (RuntimeException e) {
                LOG.error("Plugin {} failed on a message", handle.plugin().info().packageName(), e);
                result = PluginResult.error("Plugin returned a severe (unknown) error");
            }
            switch (result) {
                case null -> reply.accept(Json.error(sessionId, transaction, JanusError.PLUGIN_MESSAGE.code(),
                        "Plugin didn't give a result"));
                case PluginResult.Ok ok -> {
                    if (ok.content() == null) {
                        reply.accept(Json.error(sessionId, transaction, JanusError.PLUGIN_MESSAGE.code(),
                                "Plugin didn't provide any content for this synchronous response"));
                    } else {
                        reply.accept(JanusApi.pluginSuccess(gateway, handle, transaction, ok.content()));
                    }
                }
                case PluginResult.OkWait wait -> {
                    ObjectNode ack = Json.message("ack", sessionId, transaction);
                    if (wait.hint() != null) {
                        ack.put("hint", wait.hint());
                    }
                    reply.accept(ack);
                    if (wait.work() != null) {
                        runSafely(handle, wait.work());
                    }
                }
                case PluginResult.Error error -> reply.accept(Json.error(sessionId, transaction,
                        JanusError.PLUGIN_MESSAGE.code(),
                        error.text() == null ? "Plugin returned a severe (unknown) error" : error.text()));
            }
        });
    }

    /**
     * The plugin's asynchronous part of a message, unless the handle was detached (or its session
     * destroyed) after the ack went out: as Janus's plugins skip the queued messages of a session
     * that is gone, so no plugin event follows a handle's {@code detached} or its session's
     * {@code destroyed} (seen as a Kafka test failure: an EchoTest event after {@code destroyed}).
     */
    private static void runSafely(Handle handle, Runnable work) {
        if (!handle.isAlive()) {
            LOG.debug("Handle {} went away before its message was processed: skipped", handle.handleId());
            return;
        }
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("Plugin {} failed processing a message", handle.plugin().info().packageName(), e);
        }
    }

    /**
     * Validates the JSEP in Janus's order and texts, then hands it to the core's WebRTC side,
     * which sets the PeerConnection up and returns the stripped copy a plugin receives.
     */
    private ObjectNode validateJsep(Handle handle, JsonNode jsep) throws ApiException {
        Validation.JSEP.check(jsep, "type", Kind.STRING, true);
        Validation.JSEP.check(jsep, "sdp", Kind.STRING, true);
        Validation.JSEP.check(jsep, "trickle", Kind.BOOLEAN, false);
        Validation.JSEP.check(jsep, "rid_order", Kind.STRING, false);
        Validation.JSEP.check(jsep, "force_relay", Kind.BOOLEAN, false);
        Validation.JSEP.check(jsep, "e2ee", Kind.BOOLEAN, false);
        String type = jsep.get("type").asText();
        String lower = type.toLowerCase(Locale.ROOT);
        if (!lower.equals("offer") && !lower.equals("answer")) {
            throw new ApiException(JanusError.JSEP_UNKNOWN_TYPE, "JSEP error: unknown message type '" + type + "'");
        }
        String sdp = jsep.get("sdp").asText();
        String problem = SdpPreParse.firstError(sdp);
        if (problem != null) {
            throw new ApiException(JanusError.JSEP_INVALID_SDP, problem);
        }
        return gateway.webRtc().remoteJsep(handle, lower, sdp);
    }
}
