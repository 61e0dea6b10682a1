package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.StreamRecording;
import io.portunus.media.rtp.TalkingDetector;
import io.portunus.media.sdp.Codec;
import io.portunus.media.sdp.Extmap;
import io.portunus.media.sdp.MediaSection;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One m-line a publisher sends, as its answer settled it (codec, payload types, header
 * extensions), and the subscriber legs it is forwarded to. The legs are an array replaced on
 * each change (copy on write, under the object's lock) and read without a lock by the
 * publisher's I/O thread for every packet.
 */
final class PublishedStream {
    final Participant publisher;
    final int mindex;
    final String mid;
    final boolean video;
    final Codec codec;
    final String codecName;
    final int pt;
    final String fmtp;
    final int rtxPt;
    final List<String> rtcpFb;
    /** The publisher's header extensions on this m-line (its ids). */
    final List<Extmap> extmaps;
    /** Whether the publisher sends this video as simulcast layers (rid or SSRC-group SIM), chosen per leg. */
    final boolean simulcast;
    /** Key-frame requests, aggregated over the legs: one gate for the stream, or one per simulcast layer. */
    final KeyFrameGate keyFrames = new KeyFrameGate();
    private final KeyFrameGate[] layerKeyFrames;
    /** From the room's fir_freq when it was published: the gate's window and the periodic request (0: none). */
    final long keyFrameWindowMicros;
    final long keyFramePeriodMicros;
    /** Audio with the room's audiolevel_event on and the level extension negotiated: who talks; else null. */
    final TalkingDetector talking;
    private volatile SubscriberLeg[] legs = new SubscriberLeg[0];
    /** Its {@code .mjr} recording while recorded ({@link RoomRecording}), read by the publisher's I/O thread. */
    volatile StreamRecording recording;
    /** Its RTP forwarders, copy on write as the legs. */
    private volatile RtpForwarder[] forwarders = new RtpForwarder[0];

    PublishedStream(Participant publisher, int mindex, String mid, boolean video, Codec codec, int pt, String fmtp,
                    int rtxPt, List<String> rtcpFb, List<Extmap> extmaps, long firFreqSeconds, boolean simulcast,
                    TalkingDetector talking) {
        this.talking = video ? null : talking;
        this.simulcast = video && simulcast;
        this.layerKeyFrames = this.simulcast ? new KeyFrameGate[] {keyFrames, new KeyFrameGate(), new KeyFrameGate()}
                : new KeyFrameGate[] {keyFrames};
        this.keyFrameWindowMicros = KeyFrameGate.windowMicros(firFreqSeconds);
        this.keyFramePeriodMicros = Math.max(0, firFreqSeconds) * 1_000_000;
        this.publisher = publisher;
        this.mindex = mindex;
        this.mid = mid;
        this.video = video;
        this.codec = codec;
        this.codecName = codec.name().toLowerCase(Locale.ROOT);
        this.pt = pt;
        this.fmtp = fmtp;
        this.rtxPt = rtxPt;
        this.rtcpFb = List.copyOf(rtcpFb);
        this.extmaps = List.copyOf(extmaps);
    }

    /** The gate of a simulcast layer (-1 or no simulcast: the stream's). */
    KeyFrameGate keyFrames(int layer) {
        return layer > 0 && layer < layerKeyFrames.length ? layerKeyFrames[layer] : keyFrames;
    }

    /** Number of gates: one per simulcast layer, or one. */
    int keyFrameGates() {
        return layerKeyFrames.length;
    }

    SubscriberLeg[] legs() {
        return legs;
    }

    synchronized void add(SubscriberLeg leg) {
        SubscriberLeg[] now = legs;
        SubscriberLeg[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = leg;
        legs = next;
    }

    synchronized void remove(SubscriberLeg leg) {
        legs = Arrays.stream(legs).filter(l -> l != leg).toArray(SubscriberLeg[]::new);
    }

    RtpForwarder[] forwarders() {
        return forwarders;
    }

    synchronized void addForwarder(RtpForwarder f) {
        RtpForwarder[] now = forwarders;
        RtpForwarder[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = f;
        forwarders = next;
    }

    synchronized void removeForwarder(RtpForwarder f) {
        forwarders = Arrays.stream(forwarders).filter(x -> x != f).toArray(RtpForwarder[]::new);
    }

    /** No longer published: no leg gets it, and its recording (if any) is closed. */
    /** Whether {@code other} (from a new offer of the same publisher) carries the same media as this one. */
    boolean sameMediaAs(PublishedStream other) {
        return mid.equals(other.mid) && video == other.video && pt == other.pt && codecName.equals(other.codecName)
                && simulcast == other.simulcast && rtxPt == other.rtxPt && extmaps.equals(other.extmaps);
    }

    synchronized void removeAll() {
        legs = new SubscriberLeg[0];
        StreamRecording r = recording;
        if (r != null) {
            recording = null;
            r.close();
        }
    }

    /** Whether this audio stream's publisher talks now (false when not measured). */
    boolean isTalking() {
        TalkingDetector t = talking;
        return t != null && t.talking();
    }

    /** Its entry in a {@code publishers} list and a {@code configured} answer (Janus 1.x keys). */
    ObjectNode describe() {
        ObjectNode s = Json.object();
        s.put("type", video ? "video" : "audio");
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("codec", codecName);
        if (!video && "1".equals(MediaSection.fmtpParam(fmtp, "useinbandfec"))) {
            s.put("fec", true);
        }
        if (simulcast) {
            s.put("simulcast", true);
        }
        return s;
    }

    /** Its entry in the publisher's {@code handle_info} streams. */
    ObjectNode describeForInfo() {
        ObjectNode s = Json.object();
        s.put("type", video ? "video" : "audio");
        s.put("mindex", mindex);
        s.put("mid", mid);
        s.put("codec", codecName);
        if (!video) {
            // As Janus 1.1.2: the last packet's level and the last window's decision; 0 and
            // false when the room measures none (audiolevel_event off).
            TalkingDetector t = talking;
            s.put("audio-level-dBov", t == null ? 0 : t.lastLevel());
            s.put("talking", t != null && t.talking());
            if (t != null) {
                // Portunus-only: what the talking stage saw (packets with a level, decisions that changed).
                s.put("audio-level-packets", t.packetsWithLevel());
                s.put("talking-changes", t.changes());
            }
        }
        if (simulcast) {
            s.put("simulcast", true);
        }
        StreamRecording r = recording;
        if (r != null) {
            s.put("recording", r.fileName());
            s.put("recording-dropped", r.dropped()); // Portunus-only: packets the recorder's queue could not take
        }
        s.put("subscribers", legs.length);
        if (video) {
            long requested = 0;
            long sent = 0;
            for (KeyFrameGate g : layerKeyFrames) {
                requested += g.requested();
                sent += g.sent();
            }
            s.put("keyframe-requests", requested);
            s.put("keyframe-requests-sent", sent);
        }
        return s;
    }
}
