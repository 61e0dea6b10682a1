package io.portunus.webrtc.capture;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes of the two formats, field by field (media.md §7). */
class CaptureFormatTest {
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    @Test
    void pcapGlobalHeaderIsClassicLibpcapEthernetInHostOrder() {
        ByteBuffer b = ByteBuffer.wrap(CaptureFormat.PCAP.fileHeader()).order(HOST);
        assertThat(b.remaining()).isEqualTo(24);
        assertThat(b.getInt()).isEqualTo(0xa1b2c3d4);
        assertThat(b.getShort()).isEqualTo((short) 2);
        assertThat(b.getShort()).isEqualTo((short) 4);
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isEqualTo(65535);
        assertThat(b.getInt()).isEqualTo(1);
        if (HOST == ByteOrder.LITTLE_ENDIAN) {
            assertThat(Arrays.copyOf(CaptureFormat.PCAP.fileHeader(), 4)).containsExactly(0xd4, 0xc3, 0xb2, 0xa1);
        }
        assertThat(CaptureFormat.TEXT2PCAP.fileHeader()).isEmpty();
    }

    @Test
    void pcapRecordHasSyntheticHeadersWithDirection() {
        byte[] pkt = Packets.rtp(111, 7, 1234, 0x11223344L, 20);
        long t = 1_700_000_000_123_456L;
        for (boolean incoming : new boolean[] {true, false}) {
            byte[] rec = CaptureFormat.PCAP.record(incoming, false, pkt, pkt.length, t, 1, 2, ZoneOffset.UTC);
            ByteBuffer b = ByteBuffer.wrap(rec).order(HOST);
            assertThat(b.getInt()).isEqualTo(1_700_000_000);
            assertThat(b.getInt()).isEqualTo(123_456);
            assertThat(b.getInt()).isEqualTo(42 + pkt.length);
            assertThat(b.getInt()).isEqualTo(42 + pkt.length);
            b.order(ByteOrder.BIG_ENDIAN);
            byte[] macs = new byte[12];
            b.get(macs);
            assertThat(macs).containsOnly(0);
            assertThat(b.getShort()).isEqualTo((short) 0x0800);
            assertThat(b.get()).isEqualTo((byte) 0x45);
            assertThat(b.get()).isZero();
            assertThat(b.getShort()).isEqualTo((short) (28 + pkt.length));
            assertThat(b.getShort()).isZero();
            assertThat(b.getShort()).isEqualTo((short) 0x4000);
            assertThat(b.get()).isEqualTo((byte) 64);
            assertThat(b.get()).isEqualTo((byte) 17);
            assertThat(b.getShort()).isZero();
            byte[] src = new byte[4];
            byte[] dst = new byte[4];
            b.get(src);
            b.get(dst);
            assertThat(src).containsExactly(incoming ? new byte[] {10, 1, 1, 1} : new byte[] {10, 2, 2, 2});
            assertThat(dst).containsExactly(incoming ? new byte[] {10, 2, 2, 2} : new byte[] {10, 1, 1, 1});
            assertThat(b.getShort() & 0xFFFF).isEqualTo(incoming ? 1000 : 2000);
            assertThat(b.getShort() & 0xFFFF).isEqualTo(incoming ? 2000 : 1000);
            assertThat(b.getShort() & 0xFFFF).isEqualTo(8 + pkt.length);
            assertThat(b.getShort()).isZero();
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            assertThat(rest).containsExactly(pkt);
        }
    }

    @Test
    void pcapTruncationKeepsTheRealLengthsInTheHeaders() {
        byte[] pkt = Packets.rtp(96, 1, 1, 5, 1000);
        byte[] saved = Arrays.copyOf(pkt, 16);
        byte[] rec = CaptureFormat.PCAP.record(true, false, saved, pkt.length, 0, 1, 2, ZoneOffset.UTC);
        ByteBuffer b = ByteBuffer.wrap(rec).order(HOST);
        b.getInt();
        b.getInt();
        assertThat(b.getInt()).isEqualTo(42 + 16);              // incl_len
        assertThat(b.getInt()).isEqualTo(42 + pkt.length);      // orig_len
        assertThat(rec.length).isEqualTo(16 + 42 + 16);
        ByteBuffer ip = ByteBuffer.wrap(rec, 16 + 14 + 2, 2);
        assertThat(ip.getShort() & 0xFFFF).isEqualTo(28 + pkt.length);
    }

    @Test
    void textLineIsWhatText2pcapReads() {
        byte[] pkt = {(byte) 0x80, 0x6f, 0x00, 0x0a};
        // 2023-11-14 22:13:20.000042 UTC
        long t = 1_700_000_000_000_042L;
        String in = new String(CaptureFormat.TEXT2PCAP.record(true, false, pkt, pkt.length, t, 12, 34, ZoneOffset.UTC),
                StandardCharsets.US_ASCII);
        assertThat(in).isEqualTo("I 22:13:20.000042 000000  80 6f 00 0a JANUS_TEXT2PCAP_RTP [session=12][handle=34]\r\n");
        String out = new String(CaptureFormat.TEXT2PCAP.record(false, true, pkt, pkt.length, t + 999_958, 12, 34,
                ZoneOffset.UTC), StandardCharsets.US_ASCII);
        assertThat(out).isEqualTo("O 22:13:21.000000 000000  80 6f 00 0a JANUS_TEXT2PCAP_RTCP [session=12][handle=34]\r\n");
    }
}
