package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RtpHeaderTest {

    /** An RTP packet with a one-byte header extension carrying mid "1" (id 4) and an audio level (id 1). */
    static byte[] packet() {
        byte[] p = new byte[12 + 4 + 8 + 5];
        p[0] = (byte) 0x90; // V=2, X=1
        p[1] = (byte) 0xE0; // M=1, PT=96
        RtpHeader.sequence(p, 0, 4242);
        RtpHeader.timestamp(p, 0, 0xDEADBEEFL);
        RtpHeader.ssrc(p, 0, 0x01020304L);
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 2; // two words of extensions
        p[16] = 0x40; // id 4, len 1
        p[17] = '1';
        p[18] = 0x10; // id 1, len 1
        p[19] = (byte) 0x85;
        return p;
    }

    @Test
    void readsAndRewritesFields() {
        byte[] p = packet();
        assertThat(RtpHeader.isValidRtp(p, 0, p.length)).isTrue();
        assertThat(RtpHeader.isRtcp(p, 0, p.length)).isFalse();
        assertThat(RtpHeader.payloadType(p, 0)).isEqualTo(96);
        assertThat(RtpHeader.marker(p, 0)).isTrue();
        assertThat(RtpHeader.sequence(p, 0)).isEqualTo(4242);
        assertThat(RtpHeader.timestamp(p, 0)).isEqualTo(0xDEADBEEFL);
        assertThat(RtpHeader.payloadOffset(p, 0, p.length)).isEqualTo(24);
        assertThat(RtpHeader.payloadLength(p, 0, p.length)).isEqualTo(5);
        assertThat(RtpExtensions.string(p, 0, p.length, 4)).isEqualTo("1");
        assertThat(RtpExtensions.find(p, 0, p.length, 1) & 0xFFFF).isEqualTo(1);
        assertThat(RtpExtensions.find(p, 0, p.length, 9)).isEqualTo(-1);
        RtpHeader.ssrc(p, 0, 0xFFFFFFFFL);
        RtpHeader.payloadType(p, 0, 111);
        assertThat(RtpHeader.ssrc(p, 0)).isEqualTo(0xFFFFFFFFL);
        assertThat(RtpHeader.payloadType(p, 0)).isEqualTo(111);
        assertThat(RtpHeader.marker(p, 0)).isTrue();
    }

    @Test
    void truncatedOrRandomPacketsAreRejectedWithoutExceptions() {
        Random r = new Random(11);
        byte[] good = packet();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(good, r.nextInt(good.length + 1));
            if (r.nextBoolean() && b.length > 0) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            if (RtpHeader.isValidRtp(b, 0, b.length)) {
                RtpHeader.payloadLength(b, 0, b.length);
                RtpExtensions.string(b, 0, b.length, 4);
            }
        }
    }
}
