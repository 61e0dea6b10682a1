package io.portunus.webrtc.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The two file formats Janus writes (media.md §7).
 *
 * <p>{@link #PCAP}: classic libpcap in host byte order, link type 1 (Ethernet); every record
 * carries a synthetic Ethernet + IPv4 + UDP header (42 bytes) so that tools see UDP from
 * 10.1.1.1:1000 to 10.2.2.2:2000 for incoming packets and the reverse for outgoing ones.
 *
 * <p>{@link #TEXT2PCAP}: one line per packet, {@code I|O HH:MM:SS.uuuuuu 000000  hex...
 * JANUS_TEXT2PCAP_RTP|RTCP [session=S][handle=H]\r\n}, for
 * {@code text2pcap -D -n -l 1 -i 17 -u 1000,2000 -t '%H:%M:%S.'}.
 */
public enum CaptureFormat {
    PCAP("pcap", "pcap"),
    TEXT2PCAP("text2pcap", "txt");

    /** Synthetic Ethernet (14) + IPv4 (20) + UDP (8) header length. */
    public static final int FAKE_HEADERS = 42;
    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String verbName;
    private final String extension;

    CaptureFormat(String verbName, String extension) {
        this.verbName = verbName;
        this.extension = extension;
    }

    /** "pcap" or "text2pcap", as in the verbs and handle_info keys. */
    public String verbName() {
        return verbName;
    }

    public String extension() {
        return extension;
    }

    /** What goes at the start of the file, at every (re)open: the pcap global header, or nothing. */
    public byte[] fileHeader() {
        if (this == TEXT2PCAP) {
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.allocate(24).order(HOST);
        b.putInt(0xa1b2c3d4);
        b.putShort((short) 2);
        b.putShort((short) 4);
        b.putInt(0);       // thiszone
        b.putInt(0);       // sigfigs
        b.putInt(65535);   // snaplen
        b.putInt(1);       // LINKTYPE_ETHERNET
        return b.array();
    }

    /**
     * One packet as it goes into the file.
     *
     * @param saved    the bytes kept (already truncated)
     * @param fullLen  the packet's real length
     */
    public byte[] record(boolean incoming, boolean rtcp, byte[] saved, int fullLen, long epochMicros,
                         long sessionId, long handleId, ZoneId zone) {
        return this == PCAP ? pcapRecord(incoming, saved, fullLen, epochMicros)
                : textLine(incoming, rtcp, saved, epochMicros, sessionId, handleId, zone);
    }

    static byte[] pcapRecord(boolean incoming, byte[] saved, int fullLen, long epochMicros) {
        ByteBuffer b = ByteBuffer.allocate(16 + FAKE_HEADERS + saved.length);
        b.order(HOST);
        b.putInt((int) (epochMicros / 1_000_000));
        b.putInt((int) (epochMicros % 1_000_000));
        b.putInt(FAKE_HEADERS + saved.length);
        b.putInt(FAKE_HEADERS + fullLen);
        b.order(ByteOrder.BIG_ENDIAN);
        // Ethernet: zero MACs, IPv4.
        b.put(new byte[12]);
        b.putShort((short) 0x0800);
        // IPv4.
        b.put((byte) 0x45);
        b.put((byte) 0);
        b.putShort((short) (28 + fullLen));
        b.putShort((short) 0);           // id
        b.putShort((short) 0x4000);      // DF
        b.put((byte) 64);                // TTL
        b.put((byte) 17);                // UDP
        b.putShort((short) 0);           // checksum
        byte[] peer = {10, 1, 1, 1};
        byte[] us = {10, 2, 2, 2};
        b.put(incoming ? peer : us);
        b.put(incoming ? us : peer);
        // UDP.
        b.putShort((short) (incoming ? 1000 : 2000));
        b.putShort((short) (incoming ? 2000 : 1000));
        b.putShort((short) (8 + fullLen));
        b.putShort((short) 0);
        b.put(saved);
        return b.array();
    }

    static byte[] textLine(boolean incoming, boolean rtcp, byte[] saved, long epochMicros, long sessionId,
                           long handleId, ZoneId zone) {
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(epochMicros / 1_000_000), zone);
        StringBuilder sb = new StringBuilder(64 + saved.length * 3);
        sb.append(incoming ? 'I' : 'O').append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        String us = Long.toString(epochMicros % 1_000_000);
        sb.append("000000", us.length(), 6).append(us);
        sb.append(" 000000 ");
        for (byte x : saved) {
            sb.append(' ').append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
        sb.append(rtcp ? " JANUS_TEXT2PCAP_RTCP" : " JANUS_TEXT2PCAP_RTP");
        sb.append(" [session=").append(Long.toUnsignedString(sessionId)).append("][handle=")
                .append(Long.toUnsignedString(handleId)).append("]\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
