package io.portunus.core.event;

/**
 * Which session and handle an event is about: the header's {@code session_id},
 * {@code handle_id} and {@code opaque_id}, each written only when set (0 / null = absent),
 * which gives Janus's per-type rules (events.md §3) with no per-type code.
 */
public record Origin(long sessionId, long handleId, String opaqueId) {
    /** Core, external and transport events carry no session. */
    public static final Origin NONE = new Origin(0, 0, null);

    public static Origin session(long sessionId) {
        return new Origin(sessionId, 0, null);
    }

    public static Origin handle(long sessionId, long handleId, String opaqueId) {
        return new Origin(sessionId, handleId, opaqueId);
    }
}
