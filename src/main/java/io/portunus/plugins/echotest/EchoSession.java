package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

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
        o.put("bitrate", bitrate);
        o.put("peer-bitrate", peerBitrate);
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
        return o;
    }
}
