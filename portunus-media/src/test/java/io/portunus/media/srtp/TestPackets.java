package io.portunus.media.srtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Real-looking RTP and RTCP packets for SRTP tests (RFC 3550 §5.1, §6.4.1, §6.5; RFC 8285 §4.2). */
public final class TestPackets {
    private TestPackets() {
    }

    /** RTP with a one-byte-header extension (mid "0" and audio level) and a random payload. */
    public static byte[] rtp(int ssrc, int seq, long timestamp, int payloadLength, Random random) {
        ByteBuffer b = ByteBuffer.allocate(12 + 12 + payloadLength);
        b.put((byte) 0x90);                    // V=2, P=0, X=1, CC=0
        b.put((byte) (0x80 | 111));            // M=1, PT=111 (opus)
        b.putShort((short) seq);
        b.putInt((int) timestamp);
        b.putInt(ssrc);
        b.putShort((short) 0xBEDE);            // RFC 8285 one-byte header
        b.putShort((short) 2);                 // 2 words of elements
        b.put((byte) 0x10).put((byte) '0');    // id 1 (mid), 1 byte
        b.put((byte) 0x20).put((byte) 0x85);   // id 2 (audio level), 1 byte
        b.put(new byte[4]);                    // padding to the word
        byte[] payload = new byte[payloadLength];
        random.nextBytes(payload);
        b.put(payload);
        return b.array();
    }

    /** A compound RTCP packet: SR (no report blocks) followed by SDES with a CNAME. */
    public static byte[] srSdes(int ssrc, long ntp, long rtpTs, int packets, int octets) {
        byte[] cname = "janus1".getBytes(StandardCharsets.US_ASCII);
        int sdesLen = 4 + 4 + 2 + cname.length + 1;
        int sdesPadded = (sdesLen + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(28 + sdesPadded);
        b.put((byte) 0x80).put((byte) 200).putShort((short) (28 / 4 - 1));
        b.putInt(ssrc).putLong(ntp).putInt((int) rtpTs).putInt(packets).putInt(octets);
        b.put((byte) 0x81).put((byte) 202).putShort((short) (sdesPadded / 4 - 1));
        b.putInt(ssrc).put((byte) 1).put((byte) cname.length).put(cname).put((byte) 0);
        return b.array();
    }
}
