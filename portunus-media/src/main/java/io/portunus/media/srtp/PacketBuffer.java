package io.portunus.media.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A {@link ByteArrayBuffer} over a caller's array that never reallocates: jitsi-srtp works on
 * packets in place, and we want its output to land in the caller's array (the I/O thread's
 * receive buffer, or an array sized for the tag) rather than in a fresh copy. A transform that
 * would need more room than the array has fails with {@link IllegalStateException}, which
 * {@link SrtpSession} turns into a -1 / {@code null} result.
 */
final class PacketBuffer implements ByteArrayBuffer {
    private final byte[] buffer;
    private int offset;
    private int length;

    PacketBuffer(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset/length outside the array");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > buffer.length) {
            throw new IllegalStateException("length " + len + " does not fit");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || off + length > buffer.length) {
            throw new IllegalStateException("offset " + off + " does not fit");
        }
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    /** Copies {@code len} bytes at {@code off} (relative to the packet start) into {@code out}. */
    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        int start = offset + off;
        if (off < 0 || len <= 0 || start + len > buffer.length || out.length < len) {
            return;
        }
        System.arraycopy(buffer, start, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0 || offset + length + howMuch > buffer.length) {
            throw new IllegalStateException("no room for " + howMuch + " more bytes");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
