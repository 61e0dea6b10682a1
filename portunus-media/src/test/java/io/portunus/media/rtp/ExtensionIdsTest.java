package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionIdsTest {

    /** An RTP packet with a one-byte extension block: mid (id 4, "0"), audio level (id 1), abs-send-time (id 3). */
    static byte[] oneByte() {
        byte[] p = new byte[12 + 4 + 12 + 4];
        p[0] = (byte) 0x90; // V=2, X=1
        p[1] = 111;
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 3; // three words
        int i = 16;
        p[i++] = 0x40; // id 4, length 1
        p[i++] = '0';
        p[i++] = 0x10; // id 1, length 1
        p[i++] = (byte) 0x85;
        p[i++] = 0x32; // id 3, length 3
        p[i++] = 1;
        p[i++] = 2;
        p[i++] = 3;
        return p;
    }

    @Test
    void keptElementsTakeTheLegsIdsAndTheOthersBecomePadding() {
        byte[] p = oneByte();
        int[] map = new int[ExtensionIds.MAX_ID + 1];
        map[1] = 7; // audio level: 1 -> 7; mid and abs-send-time are not negotiated on the leg
        ExtensionIds.remap(p, 0, p.length, map);
        assertThat(RtpExtensions.find(p, 0, p.length, 4)).isEqualTo(-1);
        assertThat(RtpExtensions.find(p, 0, p.length, 3)).isEqualTo(-1);
        assertThat(RtpExtensions.find(p, 0, p.length, 1)).isEqualTo(-1);
        long level = RtpExtensions.find(p, 0, p.length, 7);
        assertThat(level).isNotEqualTo(-1);
        assertThat(p[(int) (level >>> 16)]).isEqualTo((byte) 0x85);
        assertThat(p.length).isEqualTo(32); // nothing moved
        assertThat(p[16]).isZero();
        assertThat(p[17]).isZero();
    }

    @Test
    void aOneByteElementCannotTakeAnIdAbove14() {
        byte[] p = oneByte();
        int[] map = new int[ExtensionIds.MAX_ID + 1];
        map[4] = 20;
        ExtensionIds.remap(p, 0, p.length, map);
        assertThat(RtpExtensions.find(p, 0, p.length, 4)).isEqualTo(-1);
        assertThat(RtpExtensions.string(p, 0, p.length, 20)).isNull();
    }

    @Test
    void twoByteElementsAreRenumberedToo() {
        byte[] p = new byte[12 + 4 + 4];
        p[0] = (byte) 0x90;
        p[12] = 0x10;
        p[13] = 0x00;
        p[15] = 1;
        p[16] = 30; // id 30, length 1, "a"
        p[17] = 1;
        p[18] = 'a';
        int[] map = new int[ExtensionIds.MAX_ID + 1];
        map[30] = 200;
        ExtensionIds.remap(p, 0, p.length, map);
        assertThat(RtpExtensions.string(p, 0, p.length, 200)).isEqualTo("a");
        assertThat(new String(p, 18, 1, StandardCharsets.US_ASCII)).isEqualTo("a");
    }

    @Test
    void aPacketWithoutExtensionsIsLeftAlone() {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[19] = 42;
        ExtensionIds.remap(p, 0, p.length, new int[ExtensionIds.MAX_ID + 1]);
        assertThat(p[19]).isEqualTo((byte) 42);
    }
}
