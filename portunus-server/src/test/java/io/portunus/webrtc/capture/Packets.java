package io.portunus.webrtc.capture;

/** Small RTP and RTCP packets for the capture tests. */
final class Packets {
    private Packets() {
    }

    static byte[] rtp(int pt, int seq, long ts, long ssrc, int payloadLen) {
        byte[] b = new byte[12 + payloadLen];
        b[0] = (byte) 0x80;
        b[1] = (byte) pt;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        put32(b, 4, ts);
        put32(b, 8, ssrc);
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** A receiver report with no report blocks (RTCP PT 201). */
    static byte[] rr(long ssrc) {
        byte[] b = new byte[8];
        b[0] = (byte) 0x80;
        b[1] = (byte) 201;
        b[3] = 1;
        put32(b, 4, ssrc);
        return b;
    }

    /** A PLI (PSFB 206, FMT 1). */
    static byte[] pli(long sender, long media) {
        byte[] b = new byte[12];
        b[0] = (byte) 0x81;
        b[1] = (byte) 206;
        b[3] = 2;
        put32(b, 4, sender);
        put32(b, 8, media);
        return b;
    }

    static void put32(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }
}
