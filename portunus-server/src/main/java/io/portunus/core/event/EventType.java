package io.portunus.core.event;

import java.util.Locale;

/**
 * Janus's event types (events.md §2): the bit each has in a handler's mask, the word that
 * names it in an {@code events = "..."} list, and the verbose name GELF and MQTT print.
 */
public enum EventType {
    SESSION(1, "sessions", "Sessions"),
    HANDLE(2, "handles", "Handles"),
    EXTERNAL(4, "external", "External"),
    JSEP(8, "jsep", "Jsep"),
    WEBRTC(16, "webrtc", "WebRTC"),
    MEDIA(32, "media", "Media"),
    PLUGIN(64, "plugins", "Plugins"),
    TRANSPORT(128, "transports", "Transports"),
    CORE(256, "core", "Core");

    /** Every bit set, as Janus's {@code JANUS_EVENT_TYPE_ALL} (0xffffffff). */
    public static final int ALL = 0xffffffff;

    /** Subtypes (only written when > 0). */
    public static final int CORE_STARTUP = 1;
    public static final int CORE_SHUTDOWN = 2;
    public static final int WEBRTC_ICE = 1;
    public static final int WEBRTC_LCAND = 2;
    public static final int WEBRTC_RCAND = 3;
    public static final int WEBRTC_PAIR = 4;
    public static final int WEBRTC_DTLS = 5;
    public static final int WEBRTC_STATE = 6;
    public static final int MEDIA_STATE = 1;
    public static final int MEDIA_SLOWLINK = 2;
    public static final int MEDIA_STATS = 3;

    private final int bit;
    private final String label;
    private final String verboseName;

    EventType(int bit, String label, String verboseName) {
        this.bit = bit;
        this.label = label;
        this.verboseName = verboseName;
    }

    public int bit() {
        return bit;
    }

    public String label() {
        return label;
    }

    public String verboseName() {
        return verboseName;
    }

    /** The type with this bit, or null. */
    public static EventType ofBit(int bit) {
        for (EventType t : values()) {
            if (t.bit == bit) {
                return t;
            }
        }
        return null;
    }

    /** The type named by {@code label} (case-insensitive), or null. */
    public static EventType ofLabel(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        for (EventType t : values()) {
            if (t.label.equals(l)) {
                return t;
            }
        }
        return null;
    }
}
