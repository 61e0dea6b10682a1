package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.Objects;

/** Per-handle EchoTest state; every field read by the media path is volatile. */
final class EchoSession {
    private volatile boolean audioActive = true;
    private volatile boolean videoActive = true;
    private volatile long bitrate;
    private volatile long peerBitrate;
    private volatile int slowlinkCount;
    private volatile boolean hangingUp;
    private volatile boolean destroyed;
    private volatile String videoMid;
    private volatile String audioCodec;
    private volatile String videoCodec;
    /** The simulcast layer picker while the peer sends simulcast, else null. */
    private volatile SimulcastSwitcher simulcast;
    private volatile Integer substreamTarget;
    private volatile Integer temporalTarget;
    private volatile Long fallback;
    /** When we last sent a REMB with our cap (µs), to repeat it once a second. */
    private volatile long lastRembMicros;
    /** Its {@code record}/{@code filename} recording. */
    final EchoRecording recording = new EchoRecording();

    synchronized void apply(EchoRequest r) {
        if (r.audio() != null) {
            audioActive = r.audio();
        }
        if (r.video() != null) {
            videoActive = r.video();
        }
        if (r.bitrate() != null) {
            bitrate = r.bitrate();
        }
        // Kept apart from the switcher: a request may come before the offer that starts simulcast.
        if (r.substream() != null) {
            substreamTarget = r.substream();
        }
        if (r.temporal() != null) {
            temporalTarget = r.temporal();
        }
        if (r.fallback() != null) {
            fallback = r.fallback();
        }
        applyTargets(simulcast);
    }

    private void applyTargets(SimulcastSwitcher s) {
        if (s == null) {
            return;
        }
        if (substreamTarget != null) {
            s.substreamTarget(substreamTarget);
        }
        if (temporalTarget != null) {
            s.temporalTarget(temporalTarget);
        }
        if (fallback != null) {
            s.fallback(fallback);
        }
    }

    /** What the latest negotiation settled: the codecs and whether the peer sends simulcast video. */
    synchronized void negotiated(String audio, String video, boolean simulcastOffered) {
        SimulcastSwitcher s = simulcast;
        if (!simulcastOffered) {
            s = null;
        } else if (s == null || !Objects.equals(video, videoCodec)) {
            // A renegotiation that keeps simulcast keeps the switcher: the echo stays continuous.
            s = new SimulcastSwitcher(video);
        }
        audioCodec = audio;
        videoCodec = video;
        applyTargets(s);
        simulcast = s;
    }

    SimulcastSwitcher simulcast() {
        return simulcast;
    }

    String videoCodec() {
        return videoCodec;
    }

    String audioCodec() {
        return audioCodec;
    }

    long bitrate() {
        return bitrate;
    }

    void peerBitrate(long bps) {
        peerBitrate = bps;
    }

    /** True (and the time noted) when our REMB is due: once a second while a cap is set. */
    boolean rembDue(long nowMicros) {
        if (bitrate <= 0 || nowMicros - lastRembMicros < 1_000_000) {
            return false;
        }
        lastRembMicros = nowMicros;
        return true;
    }

    void rembSent(long nowMicros) {
        lastRembMicros = nowMicros;
    }

    void sawMedia(String mid, boolean video) {
        if (video && videoMid == null) {
            videoMid = mid;
        }
    }

    String videoMid() {
        return videoMid;
    }

    boolean echoes(boolean video) {
        return video ? videoActive : audioActive;
    }

    /** Returns true the first time, so "done" is sent once per PeerConnection. */
    synchronized boolean hangup() {
        if (hangingUp) {
            return false;
        }
        hangingUp = true;
        return true;
    }

    void destroy() {
        destroyed = true;
    }

    /** The {@code plugin_specific} part of {@code handle_info} (plugins.md §1.5). */
    ObjectNode describe() {
        ObjectNode o = Json.object();
        o.put("audio_active", audioActive);
        o.put("video_active", videoActive);
        if (audioCodec != null) {
            o.put("audio_codec", audioCodec);
        }
        if (videoCodec != null) {
            o.put("video_codec", videoCodec);
        }
        o.put("bitrate", bitrate);
        o.put("peer-bitrate", peerBitrate);
        SimulcastSwitcher s = simulcast;
        if (s != null) {
            o.put("simulcast", true);
            o.put("substream", s.substream());
            o.put("substream-target", s.substreamTarget());
            o.put("temporal-layer", s.temporal());
            o.put("temporal-layer-target", s.temporalTarget());
            o.put("fallback", s.fallbackMicros());
        }
        recording.describe(o);
        o.put("slowlink_count", slowlinkCount);
        o.put("hangingup", hangingUp ? 1 : 0);
        o.put("destroyed", destroyed ? 1 : 0);
        return o;
    }

    /** The type-64 event handler payload (plugins.md §1.4). */
    ObjectNode describeForEvents() {
        ObjectNode o = Json.object();
        o.put("audio_active", audioActive);
        o.put("video_active", videoActive);
        o.put("bitrate", bitrate);
        SimulcastSwitcher s = simulcast;
        if (s != null) {
            ObjectNode sim = o.putObject("simulcast");
            sim.put("substream", s.substream());
            sim.put("temporal-layer", s.temporal());
        }
        recording.describe(o);
        o.remove("recording-dropped");
        return o;
    }
}
