package io.portunus.media.sctp;

import java.util.Arrays;

import static io.portunus.media.sctp.SctpPacket.padded;
import static io.portunus.media.sctp.SctpPacket.put16;
import static io.portunus.media.sctp.SctpPacket.put32;

/** Builds one outgoing SCTP packet: common header, then chunks while they fit. */
final class PacketWriter {
    private final byte[] buf;
    private int pos;
    private int chunkStart = -1;

    PacketWriter(int maxSize, int srcPort, int dstPort, long verificationTag) {
        buf = new byte[maxSize];
        put16(buf, 0, srcPort);
        put16(buf, 2, dstPort);
        put32(buf, 4, verificationTag);
        pos = SctpPacket.HEADER;
    }

    int remaining() {
        return buf.length - pos;
    }

    boolean empty() {
        return pos == SctpPacket.HEADER;
    }

    /** Opens a chunk; its length is written by {@link #end()}. */
    PacketWriter begin(int type, int flags) {
        chunkStart = pos;
        buf[pos] = (byte) type;
        buf[pos + 1] = (byte) flags;
        pos += 4;
        return this;
    }

    PacketWriter u8(int v) {
        buf[pos++] = (byte) v;
        return this;
    }

    PacketWriter u16(int v) {
        put16(buf, pos, v);
        pos += 2;
        return this;
    }

    PacketWriter u32(long v) {
        put32(buf, pos, v);
        pos += 4;
        return this;
    }

    PacketWriter bytes(byte[] b, int off, int len) {
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** A TLV parameter (RFC 4960 §3.2.1), padded. */
    PacketWriter param(int type, byte[] value) {
        u16(type).u16(4 + value.length).bytes(value, 0, value.length);
        pad();
        return this;
    }

    private void pad() {
        while ((pos & 3) != 0) {
            buf[pos++] = 0;
        }
    }

    /** Closes the open chunk: its length (without padding), then the padding. */
    PacketWriter end() {
        put16(buf, chunkStart + 2, pos - chunkStart);
        pad();
        chunkStart = -1;
        return this;
    }

    /** The packet with its checksum, exactly as long as it is. */
    byte[] finish() {
        byte[] out = Arrays.copyOf(buf, pos);
        SctpPacket.writeChecksum(out, 0, out.length);
        return out;
    }

    static int chunkSize(int valueLength) {
        return padded(4 + valueLength);
    }
}
