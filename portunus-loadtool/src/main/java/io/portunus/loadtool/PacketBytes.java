package io.portunus.loadtool;

/** Big-endian integers in the load tool's probe payloads (counter, send time, session index). */
final class PacketBytes {
    private PacketBytes() {
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static long readLong(byte[] b, int at) {
        return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xFFFFFFFFL);
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void writeLong(byte[] b, int at, long v) {
        writeInt(b, at, (int) (v >>> 32));
        writeInt(b, at + 4, (int) v);
    }
}
