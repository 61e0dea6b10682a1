package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.ApiException;
import io.portunus.core.Handle;
import io.portunus.core.JanusError;

/**
 * The {@code trickle} request's envelope checks (janus-api.md §2.4). Candidates that arrive
 * before a PeerConnection exists are acknowledged and left for the media core, exactly as
 * Janus queues them; before the media core exists there is never a PeerConnection, so the
 * per-candidate checks (which only run against one) never apply.
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
}
