package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
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
    final KeyFrameGate keyFrames = new KeyFrameGate();
    /** From the room's fir_freq when it was published: the gate's window and the periodic request (0: none). */
    final long keyFrameWindowMicros;
    final long keyFramePeriodMicros;
    private volatile SubscriberLeg[] legs = new SubscriberLeg[0];

    PublishedStream(Participant publisher, int mindex, String mid, boolean video, Codec codec, int pt, String fmtp,
                    int rtxPt, List<String> rtcpFb, List<Extmap> extmaps, long firFreqSeconds) {
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

    synchronized void removeAll() {
        legs = new SubscriberLeg[0];
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
            // No audio levels are measured yet: Janus's values before any.
            s.put("audio-level-dBov", 0);
            s.put("talking", false);
        }
        s.put("subscribers", legs.length);
        if (video) {
            s.put("keyframe-requests", keyFrames.requested());
            s.put("keyframe-requests-sent", keyFrames.sent());
        }
        return s;
    }
}
