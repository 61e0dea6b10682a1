package io.portunus.core;

/**
 * The Janus API error codes with their default reason texts, exactly as Janus sends them
 * (spec: janus-api.md §5). The odd ones (the misspelt "TRICKE", 490 for "unknown") are kept
 * because clients switch on the numbers.
 */
public enum JanusError {
    UNAUTHORIZED(403, "Unauthorized request (wrong or missing secret/token)"),
    UNAUTHORIZED_PLUGIN(405, "Unauthorized access to plugin (token is not allowed to)"),
    UNKNOWN(490, "Unknown error"),
    TRANSPORT_SPECIFIC(450, "Transport specific error"),
    MISSING_REQUEST(452, "Missing request"),
    UNKNOWN_REQUEST(453, "Unknown request"),
    INVALID_JSON(454, "Invalid JSON"),
    INVALID_JSON_OBJECT(455, "Invalid JSON Object"),
    MISSING_MANDATORY_ELEMENT(456, "Missing mandatory element"),
    INVALID_REQUEST_PATH(457, "Invalid path for this request"),
    SESSION_NOT_FOUND(458, "Session not found"),
    HANDLE_NOT_FOUND(459, "Handle not found"),
    PLUGIN_NOT_FOUND(460, "Plugin not found"),
    PLUGIN_ATTACH(461, "Error attaching plugin"),
    PLUGIN_MESSAGE(462, "Error sending message to plugin"),
    PLUGIN_DETACH(463, "Error detaching from plugin"),
    JSEP_UNKNOWN_TYPE(464, "Unsupported JSEP type"),
    JSEP_INVALID_SDP(465, "Invalid SDP"),
    TRICKLE_INVALID_STREAM(466, "Invalid stream"),
    INVALID_ELEMENT_TYPE(467, "Invalid element type"),
    SESSION_CONFLICT(468, "Session ID already in use"),
    UNEXPECTED_ANSWER(469, "Unexpected ANSWER (no OFFER)"),
    TOKEN_NOT_FOUND(470, "Token not found"),
    WEBRTC_STATE(471, "Wrong WebRTC state"),
    NOT_ACCEPTING_SESSIONS(472, "Currently not accepting new sessions");

    private final int code;
    private final String defaultReason;

    JanusError(int code, String defaultReason) {
        this.code = code;
        this.defaultReason = defaultReason;
    }

    public int code() {
        return code;
    }

    public String defaultReason() {
        return defaultReason;
    }
}
