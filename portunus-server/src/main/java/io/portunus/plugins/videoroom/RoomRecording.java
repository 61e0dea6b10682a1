package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.StreamRecording;
import io.portunus.media.sdp.Extmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Recording as Janus's VideoRoom records: a publisher's streams are recorded while its room has
 * {@code record} on ({@code create}, {@code enable_recording}) or it asked with {@code configure}
 * {@code record}; one {@code .mjr} per stream in the room's {@code rec_dir}, named as Janus names
 * it ({@code videoroom-<room>-user-<id>-<µs>-audio-0}, or {@code <filename>-audio-0}). Folders and
 * names are confined to the recordings root: a refused one is 430 with the reason.
 */
final class RoomRecording {
    private static final Logger LOG = LoggerFactory.getLogger(RoomRecording.class);
    private static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";

    /** A publisher's {@code configure} {@code record}/{@code filename}, checked before anything changes. */
    record Ask(Boolean record, String filename) {
        boolean any() {
            return record != null || filename != null;
        }
    }

    private RoomRecording() {
    }

    /** Checks {@code rec_dir} (or {@code new_rec_dir}) of a create or edit. */
    static void checkFolder(MediaRecorder recorder, String param, JsonNode body) throws VideoRoomError {
        JsonNode folder = body.get(param);
        if (recorder == null || folder == null || !folder.isTextual()) {
            return;
        }
        try {
            recorder.checkFolder(folder.asText());
        } catch (MediaRecorder.Refused e) {
            throw invalid(param, e.getMessage());
        }
    }

    /** Reads and checks a publisher's {@code configure} {@code record} and {@code filename}. */
    static Ask ask(MediaRecorder recorder, JsonNode body) throws VideoRoomError {
        Params.check(body, "record", Params.Type.BOOLEAN, false);
        Params.check(body, "filename", Params.Type.STRING, false);
        String filename = Params.text(body, "filename");
        if (filename != null && recorder != null) {
            try {
                recorder.checkName(filename);
            } catch (MediaRecorder.Refused e) {
                throw invalid("filename", e.getMessage());
            }
        }
        return new Ask(Params.bool(body, "record"), filename);
    }

    private static VideoRoomError invalid(String param, String reason) {
        return new VideoRoomError(VideoRoomError.INVALID_ELEMENT, "Invalid element (" + param + ": " + reason + ")");
    }

    /** Takes a publisher's ask ({@link #sync} then starts or stops its recording). Call holding the rooms lock. */
    static void apply(Participant me, Ask ask) {
        if (me == null || !ask.any()) {
            return;
        }
        if (ask.filename() != null) {
            me.recordName = ask.filename();
        }
        if (ask.record() != null) {
            me.record = ask.record();
        }
    }

    /** {@code enable_recording}: the room's switch, and every publisher's recording follows. Holding the rooms lock. */
    static void enable(MediaRecorder recorder, Room room, boolean record) {
        room.record = record;
        for (Participant p : room.participants()) {
            if (!record) {
                p.record = false; // as Janus: stopping a room's recording stops its publishers' own too
            }
            sync(recorder, p);
        }
    }

    /**
     * Starts the recording of every stream the publisher sends that is not recorded yet, or stops
     * them all, as the room and the publisher ask. Call holding the rooms lock.
     */
    static void sync(MediaRecorder recorder, Participant me) {
        if (me == null) {
            return;
        }
        boolean wanted = me.inRoom && (me.room.record || me.record);
        for (PublishedStream s : me.streams) {
            StreamRecording now = s.recording;
            if (wanted && now == null && recorder != null) {
                s.recording = open(recorder, me, s);
            } else if (!wanted && now != null) {
                s.recording = null;
                now.close();
            }
        }
    }

    private static StreamRecording open(MediaRecorder recorder, Participant me, PublishedStream s) {
        String kind = s.video ? "video" : "audio";
        String base = me.recordName != null ? me.recordName
                : "videoroom-" + me.room.id + "-user-" + me.id + "-" + wallMicros();
        Map<Integer, String> extensions = new HashMap<>();
        if (s.video) {
            for (Extmap e : s.extmaps) {
                if (VIDEO_ORIENTATION.equals(e.uri())) {
                    extensions.put(e.id(), e.uri());
                }
            }
        }
        try {
            return recorder.open(me.room.recDir, base + "-" + kind + "-" + s.mindex, s.video, s.codecName, extensions);
        } catch (MediaRecorder.Refused e) {
            LOG.error("Not recording {} of publisher {} in room {}: {}", kind, me.id, me.room.id, e.getMessage());
            return null;
        }
    }

    /** Janus names recordings after the real time in µs. */
    private static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
