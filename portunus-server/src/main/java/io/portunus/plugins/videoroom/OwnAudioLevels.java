package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A publisher's own {@code audio_active_packets} and {@code audio_level_average} (publisher
 * {@code join} and {@code configure}), over the room's, as Janus 1.1.2 takes them: a value other
 * than 0 replaces the room's for this publisher's talking detection ({@code audiolevel_event}),
 * 0 goes back to the room's, and {@code joined} repeats the ones set. Janus 1.1.2 ignores a
 * non-integer at {@code join} (and {@code audio_level_average}'s at {@code configure}), and
 * refuses one for {@code configure}'s {@code audio_active_packets} with 430; so do we. A negative
 * value, which Janus takes, is refused with the same 430 everywhere.
 *
 * @param packets the packets averaged per decision, null if not given
 * @param average the threshold (-dBov) an average must be below to mean talking, null if not given
 */
record OwnAudioLevels(Long packets, Long average) {
    static final String PACKETS = "audio_active_packets";
    static final String AVERAGE = "audio_level_average";

    /** What a publisher's {@code join} says, checked before it joins. */
    static OwnAudioLevels atJoin(JsonNode body) throws VideoRoomError {
        return new OwnAudioLevels(read(body, PACKETS, false), read(body, AVERAGE, false));
    }

    /** What a publisher's {@code configure} says, checked before anything changes. */
    static OwnAudioLevels atConfigure(JsonNode body) throws VideoRoomError {
        return new OwnAudioLevels(read(body, PACKETS, true), read(body, AVERAGE, false));
    }

    /** The {@code joined} answer repeats the values set (not 0), as Janus 1.1.2. */
    void putIn(ObjectNode joined) {
        if (packets != null && packets > 0) {
            joined.put(PACKETS, packets);
        }
        if (average != null && average > 0) {
            joined.put(AVERAGE, average);
        }
    }

    /** Sets them on the publisher; its audio streams measured now use them at once. Call holding the rooms lock. */
    void applyTo(Participant me) {
        if (packets == null && average == null) {
            return;
        }
        me.ownAudioLevels(packets, average);
        for (PublishedStream s : me.streams) {
            if (s.talking != null) {
                s.talking.window(me.audioActivePackets(), me.audioLevelAverage());
            }
        }
    }

    private static Long read(JsonNode body, String name, boolean typeChecked) throws VideoRoomError {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        boolean integer = v.isIntegralNumber() && v.canConvertToLong();
        if (!integer && !typeChecked) {
            return null; // as Janus 1.1.2: ignored
        }
        if (!integer || v.asLong() < 0) {
            throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element type (" + name
                    + " should be a positive integer)");
        }
        return v.asLong();
    }
}
