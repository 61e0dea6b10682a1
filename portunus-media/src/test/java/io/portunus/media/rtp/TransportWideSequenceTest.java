package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class TransportWideSequenceTest {
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7};

    /** A packet without extensions: header, then PAYLOAD, with room for the headroom. */
    private static byte[] plain() {
        byte[] p = new byte[12 + PAYLOAD.length + TransportWideSequence.HEADROOM];
        p[0] = (byte) 0x80;
        p[1] = 96;
        System.arraycopy(PAYLOAD, 0, p, 12, PAYLOAD.length);
        return p;
    }

    private static byte[] payloadOf(byte[] p, int len) {
        int at = RtpHeader.payloadOffset(p, 0, len);
        return Arrays.copyOfRange(p, at, len);
    }

    @Test
    void overwritesTheElementALegsCopyAlreadyHas() {
        byte[] p = new byte[12 + 4 + 4 + PAYLOAD.length];
        p[0] = (byte) 0x90;
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;
        p[16] = 0x31; // id 3, two bytes
        p[17] = 0x12;
        p[18] = 0x34;
        System.arraycopy(PAYLOAD, 0, p, 20, PAYLOAD.length);
        int len = TransportWideSequence.write(p, 0, p.length, p.length, 3, 0xBEEF);
        assertThat(len).isEqualTo(p.length);
        assertThat(RtpExtensions.uint16(p, 0, len, 3)).isEqualTo(0xBEEF);
        assertThat(payloadOf(p, len)).containsExactly(PAYLOAD);
    }

    @Test
    void addsAnExtensionBlockToAPacketWithout() {
        byte[] p = plain();
        int len = TransportWideSequence.write(p, 0, 12 + PAYLOAD.length, p.length, 3, 7);
        assertThat(len).isEqualTo(12 + PAYLOAD.length + 8);
        assertThat(RtpHeader.hasExtension(p, 0)).isTrue();
        assertThat(RtpExtensions.uint16(p, 0, len, 3)).isEqualTo(7);
        assertThat(payloadOf(p, len)).containsExactly(PAYLOAD);
    }

    @Test
    void appendsToAnExistingBlockAndKeepsItsElements() {
        byte[] src = ExtensionIdsTest.oneByte();
        byte[] p = Arrays.copyOf(src, src.length + TransportWideSequence.HEADROOM);
        System.arraycopy(PAYLOAD, 0, p, src.length - 4, 4); // the fixture's last 4 bytes are its payload
        int len = TransportWideSequence.write(p, 0, src.length, p.length, 5, 0x0102);
        assertThat(len).isEqualTo(src.length + 4);
        assertThat(RtpExtensions.uint16(p, 0, len, 5)).isEqualTo(0x0102);
        assertThat(RtpExtensions.string(p, 0, len, 4)).isEqualTo("0");
        assertThat(RtpExtensions.find(p, 0, len, 1)).isNotEqualTo(-1);
        assertThat(payloadOf(p, len)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void refusesWithoutRoomAndLeavesThePacketAsItWas() {
        byte[] p = plain();
        byte[] before = p.clone();
        assertThat(TransportWideSequence.write(p, 0, 12 + PAYLOAD.length, 12 + PAYLOAD.length, 3, 7)).isEqualTo(-1);
        assertThat(p).isEqualTo(before);
    }
}
