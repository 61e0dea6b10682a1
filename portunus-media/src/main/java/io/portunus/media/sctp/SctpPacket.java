package io.portunus.media.sctp;

import java.util.zip.CRC32C;

/**
 * The wire format of SCTP packets (RFC 4960 §3): the 12-byte common header (ports,
 * verification tag, CRC32c) and the chunks after it. Reading never throws on bad input: a
 * packet whose length, checksum or chunk lengths do not add up is simply not valid.
 */
final class SctpPacket {
    static final int HEADER = 12;

    static final int DATA = 0;
    static final int INIT = 1;
    static final int INIT_ACK = 2;
    static final int SACK = 3;
    static final int HEARTBEAT = 4;
    static final int HEARTBEAT_ACK = 5;
    static final int ABORT = 6;
    static final int SHUTDOWN = 7;
    static final int SHUTDOWN_ACK = 8;
    static final int ERROR = 9;
    static final int COOKIE_ECHO = 10;
    static final int COOKIE_ACK = 11;
    static final int SHUTDOWN_COMPLETE = 14;
    static final int RE_CONFIG = 130;
    static final int FORWARD_TSN = 192;

    private SctpPacket() {
    }

    /** Whether the packet has a full header and its CRC32c (stored little-endian, RFC 4960 App. B) is right. */
    static boolean valid(byte[] b, int off, int len) {
        if (len < HEADER + 4 || off < 0 || off + len > b.length) {
            return false;
        }
        long stored = (b[off + 8] & 0xFFL) | (b[off + 9] & 0xFFL) << 8 | (b[off + 10] & 0xFFL) << 16
            | (b[off + 11] & 0xFFL) << 24;
        return stored == checksum(b, off, len);
    }

    /** CRC32c of the packet with its checksum field taken as zero. */
    static long checksum(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + HEADER, len - HEADER);
        return crc.getValue();
    }

    private static final byte[] ZEROS = new byte[4];

    static void writeChecksum(byte[] b, int off, int len) {
        long c = checksum(b, off, len);
        b[off + 8] = (byte) c;
        b[off + 9] = (byte) (c >>> 8);
        b[off + 10] = (byte) (c >>> 16);
        b[off + 11] = (byte) (c >>> 24);
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }

    static int i32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
    }

    static long u32(byte[] b, int i) {
        return i32(b, i) & 0xFFFFFFFFL;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** Chunks and parameters are padded to 4 bytes. */
    static int padded(int n) {
        return (n + 3) & ~3;
    }

    /** A 32-bit serial number (TSN, RFC 1982) placed on the 64-bit line nearest {@code reference}. */
    static long unwrap(long reference, long serial32) {
        return reference + (int) ((int) serial32 - (int) reference);
    }

    /** A 16-bit serial number (SSN) placed on the line nearest {@code reference}. */
    static long unwrap16(long reference, int serial16) {
        return reference + (short) (serial16 - (int) reference);
    }
}
