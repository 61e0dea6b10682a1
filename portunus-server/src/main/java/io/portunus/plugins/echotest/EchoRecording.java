package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.StreamRecording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * An EchoTest handle's recording ({@code record}/{@code filename}, plugins.md §1.1): what the peer
 * sends, one {@code .mjr} per medium, {@code <filename>-audio.mjr}/{@code <filename>-video.mjr}
 * (without a filename {@code echotest-<handle>-<µs>-audio.mjr}) under the recordings root. It
 * starts once the codecs are negotiated (a {@code record} that comes before the offer waits for
 * it) and stops with {@code record: false}, a hangup or the handle's end.
 */
final class EchoRecording {
    private static final Logger LOG = LoggerFactory.getLogger(EchoRecording.class);

    private volatile boolean wanted;
    private volatile String filename;
    private volatile StreamRecording audio;
    private volatile StreamRecording video;

    /** Checks a request's filename before anything changes: 413 with the reason when refused. */
    static void check(MediaRecorder recorder, EchoRequest r) throws EchoRequest.Invalid {
        if (r.filename() != null && recorder != null) {
            try {
                recorder.checkName(r.filename());
            } catch (MediaRecorder.Refused e) {
                throw new EchoRequest.Invalid(EchoRequest.INVALID_ELEMENT, "Invalid element (filename: " + e.getMessage() + ")");
            }
        }
    }

    /** Takes a request's {@code record}/{@code filename} and starts or stops as they and the codecs allow. */
    synchronized void apply(MediaRecorder recorder, EchoRequest r, long handleId, String audioCodec, String videoCodec) {
        if (r.filename() != null) {
            filename = r.filename();
        }
        if (r.record() != null) {
            wanted = r.record();
        }
        sync(recorder, handleId, audioCodec, videoCodec);
    }

    /** After a negotiation (codecs known): starts a recording that was waiting for them. */
    synchronized void sync(MediaRecorder recorder, long handleId, String audioCodec, String videoCodec) {
        if (!wanted) {
            stop();
            return;
        }
        if (recorder == null) {
            return;
        }
        String base = filename != null ? filename
                : "echotest-" + Long.toUnsignedString(handleId) + "-" + wallMicros();
        if (audio == null && audioCodec != null) {
            audio = open(recorder, base + "-audio", false, audioCodec);
        }
        if (video == null && videoCodec != null) {
            video = open(recorder, base + "-video", true, videoCodec);
        }
    }

    /** Stops recording (the files are closed once what is queued is written). */
    synchronized void stop() {
        StreamRecording a = audio;
        StreamRecording v = video;
        audio = null;
        video = null;
        if (a != null) {
            a.close();
        }
        if (v != null) {
            v.close();
        }
    }

    /** The media thread: records a packet the peer sent (a simulcast peer's lowest layer only). */
    void rtp(boolean isVideo, byte[] buffer, int offset, int length, int substream) {
        StreamRecording r = isVideo ? video : audio;
        if (r != null && substream <= 0) {
            r.rtp(buffer, offset, length);
        }
    }

    /** {@code "recording": {"audio": file, "video": file}} (and Portunus's drop count) while recording. */
    void describe(ObjectNode o) {
        StreamRecording a = audio;
        StreamRecording v = video;
        if (a == null && v == null) {
            return;
        }
        ObjectNode rec = o.putObject("recording");
        long dropped = 0;
        if (a != null) {
            rec.put("audio", a.fileName());
            dropped += a.dropped();
        }
        if (v != null) {
            rec.put("video", v.fileName());
            dropped += v.dropped();
        }
        o.put("recording-dropped", dropped);
    }

    private static StreamRecording open(MediaRecorder recorder, String name, boolean video, String codec) {
        try {
            return recorder.open(null, name, video, codec, Map.of());
        } catch (MediaRecorder.Refused e) {
            LOG.error("EchoTest not recording {}: {}", video ? "video" : "audio", e.getMessage());
            return null;
        }
    }

    private static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
