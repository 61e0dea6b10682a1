package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;

/**
 * The {@code trickle} request (janus-api.md §2.4): envelope checks, then the candidates go to
 * the core. Candidates that arrive before the offer are queued, as Janus does.
 */
final class TrickleRequest {
    private TrickleRequest() {
    }

    static void validate(Handle handle, JsonNode request) throws ApiException {
        if (!handle.isAlive()) {
            throw new ApiException(JanusError.PLUGIN_MESSAGE, "No plugin to handle this trickle candidate");
        }
        JsonNode candidate = request.get("candidate");
        JsonNode candidates = request.get("candidates");
        boolean hasOne = candidate != null && !candidate.isNull();
        boolean hasMany = candidates != null && !candidates.isNull();
        if (!hasOne && !hasMany) {
            throw new ApiException(JanusError.MISSING_MANDATORY_ELEMENT, "Missing mandatory element (candidate|candidates)");
        }
        if (hasOne && hasMany) {
            throw new ApiException(JanusError.INVALID_JSON, "Can't have both candidate and candidates");
        }
        if (hasMany && !candidates.isArray()) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "candidates is not an array");
        }
    }

    /**
     * Validates, then hands the candidate(s) to the core: queued until the offer arrives, applied
     * to the PeerConnection after. A single candidate is checked with Janus's texts when a
     * PeerConnection exists; in a {@code candidates} array bad entries are skipped.
     */
    static void handle(Gateway gateway, Handle handle, JsonNode request) throws ApiException {
        validate(handle, request);
        JsonNode candidate = request.get("candidate");
        if (candidate != null && !candidate.isNull()) {
            if (handle.peerConnection() != null) {
                checkCandidate(candidate);
            }
            gateway.webRtc().trickle(handle, candidate);
            return;
        }
        for (JsonNode c : request.get("candidates")) {
            try {
                checkCandidate(c);
            } catch (ApiException e) {
                continue;
            }
            gateway.webRtc().trickle(handle, c);
        }
    }

    private static void checkCandidate(JsonNode c) throws ApiException {
        if (!c.isObject() || c.has("completed")) {
            return;
        }
        JsonNode mid = c.get("sdpMid");
        JsonNode index = c.get("sdpMLineIndex");
        if (mid != null && !mid.isNull() && !mid.isTextual()) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Trickle error: invalid element type (sdpMid should be a string)");
        }
        if (index != null && !index.isNull() && !(index.isIntegralNumber() && index.asLong() >= 0)) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE,
                    "Trickle error: invalid element type (sdpMLineIndex should be a positive integer)");
        }
        if ((mid == null || mid.isNull()) && (index == null || index.isNull())) {
            throw new ApiException(JanusError.MISSING_MANDATORY_ELEMENT, "Trickle error: missing mandatory element (sdpMid or sdpMLineIndex)");
        }
        JsonNode cand = c.get("candidate");
        if (cand == null || cand.isNull()) {
            throw new ApiException(JanusError.MISSING_MANDATORY_ELEMENT, "Trickle error: missing mandatory element (candidate)");
        }
        if (!cand.isTextual()) {
            throw new ApiException(JanusError.INVALID_ELEMENT_TYPE, "Trickle error: invalid element type (candidate should be a string)");
        }
    }
}
