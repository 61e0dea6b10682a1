package io.portunus.loadtool;

import io.portunus.media.rtp.RtpHeader;

import static io.portunus.loadtool.LoadSession.AUDIO_PAYLOAD;
import static io.portunus.loadtool.LoadSession.AUDIO_PT;
import static io.portunus.loadtool.LoadSession.MAX_VIDEO_PAYLOAD;
import static io.portunus.loadtool.LoadSession.RANDOM;
import static io.portunus.loadtool.LoadSession.VIDEO_FPS;
import static io.portunus.loadtool.LoadSession.VIDEO_PT;
import static io.portunus.loadtool.RtpPath.TRAILER;

/**
 * The RTP a load session sends, unprotected: Opus-like audio packets and VP8-like video frames
 * (a key frame every 3 s) with their own sequence numbers and timestamps. Each packet leaves room
 * for the session's trailer and for SRTP's overhead; the session fills the one and applies the other.
 */
final class SyntheticMedia {
    /** Takes one packet: its buffer and the length of the RTP in it. */
    interface Sink {
        void send(byte[] packet, int length);
    }

    private final long audioSsrc;
    /** Per video layer (one, or three for simulcast): SSRC, sequence number, timestamp, frames sent. */
    private final long[] videoSsrcs;
    private final int[] videoSeqs;
    private final long[] videoTss;
    private final int[] videoFrameCounts;
    /** Frames between key frames: 3 s, or 1 s with simulcast so that a server switches layers soon. */
    private final int keyFrameEvery;
    /** The payload types the answer chose (the offer's until then). */
    private int audioPt = AUDIO_PT;
    private int videoPt = VIDEO_PT;
    private int audioSeq = RANDOM.nextInt(0x10000);
    private long audioTs = RANDOM.nextInt() & 0xFFFFFFFFL;

    SyntheticMedia(long audioSsrc, long[] videoSsrcs) {
        this.audioSsrc = audioSsrc;
        int n = Math.max(1, videoSsrcs.length);
        this.videoSsrcs = videoSsrcs.length == 0 ? new long[1] : videoSsrcs.clone();
        this.videoSeqs = new int[n];
        this.videoTss = new long[n];
        this.videoFrameCounts = new int[n];
        for (int i = 0; i < n; i++) {
            videoSeqs[i] = RANDOM.nextInt(0x10000);
            videoTss[i] = RANDOM.nextInt() & 0xFFFFFFFFL;
        }
        this.keyFrameEvery = n > 1 ? VIDEO_FPS : VIDEO_FPS * 3;
    }

    /** The answer's payload types; a negative one (a medium not accepted) leaves the offer's. */
    void usePayloadTypes(int audio, int video) {
        if (audio >= 0) {
            audioPt = audio;
        }
        if (video >= 0) {
            videoPt = video;
        }
    }

    void audioPacket(int overhead, boolean first, Sink sink) {
        byte[] p = new byte[RtpHeader.FIXED_LENGTH + AUDIO_PAYLOAD + overhead];
        header(p, audioPt, first, audioSeq, audioTs, audioSsrc);
        audioSeq = (audioSeq + 1) & 0xFFFF;
        audioTs = (audioTs + 960) & 0xFFFFFFFFL;
        p[RtpHeader.FIXED_LENGTH] = 0x78; // an Opus TOC byte (SILK WB 20 ms)
        sink.send(p, RtpHeader.FIXED_LENGTH + AUDIO_PAYLOAD);
    }

    /** How many packets each video frame takes at this bitrate. */
    static int videoPacketsPerFrame(long bitrate) {
        int frameBytes = Math.max(TRAILER + 12, (int) (bitrate / 8 / VIDEO_FPS));
        return (frameBytes + MAX_VIDEO_PAYLOAD - 1) / MAX_VIDEO_PAYLOAD;
    }

    /** One frame of one video layer (0 when not simulcast). */
    void videoFrame(int overhead, long bitrate, int layer, Sink sink) {
        int frameBytes = Math.max(TRAILER + 12, (int) (bitrate / 8 / VIDEO_FPS));
        int packets = videoPacketsPerFrame(bitrate);
        int size = (frameBytes + packets - 1) / packets;
        boolean key = videoFrameCounts[layer] % keyFrameEvery == 0;
        for (int i = 0; i < packets; i++) {
            byte[] p = new byte[RtpHeader.FIXED_LENGTH + size + overhead];
            header(p, videoPt, i == packets - 1, videoSeqs[layer], videoTss[layer], videoSsrcs[layer]);
            videoSeqs[layer] = (videoSeqs[layer] + 1) & 0xFFFF;
            int o = RtpHeader.FIXED_LENGTH;
            if (i == 0) {
                // VP8 payload descriptor (RFC 7741 §4.2): S=1, partition 0; then a VP8 frame header.
                p[o] = 0x10;
                if (key) {
                    p[o + 1] = 0x10; // P=0: key frame, show_frame=1
                    p[o + 4] = (byte) 0x9d;
                    p[o + 5] = 0x01;
                    p[o + 6] = 0x2a;
                    p[o + 7] = (byte) 0x80; // 640
                    p[o + 8] = 0x02;
                    p[o + 9] = (byte) 0xe0; // 480
                    p[o + 10] = 0x01;
                } else {
                    p[o + 1] = 0x11; // P=1: interframe
                }
            }
            sink.send(p, RtpHeader.FIXED_LENGTH + size);
        }
        videoTss[layer] = (videoTss[layer] + 90_000 / VIDEO_FPS) & 0xFFFFFFFFL;
        videoFrameCounts[layer]++;
    }

    private static void header(byte[] p, int pt, boolean marker, int seq, long ts, long ssrc) {
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | (pt & 0x7F));
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.timestamp(p, 0, ts);
        RtpHeader.ssrc(p, 0, ssrc);
    }
}
