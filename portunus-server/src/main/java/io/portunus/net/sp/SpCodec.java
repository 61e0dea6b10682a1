package io.portunus.net.sp;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The scalability-protocols (nanomsg) wire format, sans I/O: the 8-byte protocol header both
 * peers send first (0x00 'S' 'P' 0x00, 16-bit protocol id, 16 reserved zero bits; RFC
 * sp-tcp-mapping) and then messages framed by a 64-bit big-endian length, preceded over
 * {@code ipc://} by a one-byte message type (0x01, RFC sp-ipc-mapping). One decoder per
 * connection: {@link #feed} takes whatever bytes arrived and hands out each complete message.
 */
public final class SpCodec {
    /** Protocol ids (RFC sp-protocol-ids): protocol number × 16 + role. */
    public static final int PAIR = 0x10;
    public static final int PUB = 0x20;
    public static final int SUB = 0x21;
    public static final int HEADER_SIZE = 8;
    static final byte IPC_MESSAGE = 0x01;

    private enum State { HEADER, TYPE, LENGTH, PAYLOAD }

    private final int peerProtocol;
    private final boolean ipc;
    private final long maxMessage;
    private final byte[] scratch = new byte[HEADER_SIZE];
    private int have;
    private State state = State.HEADER;
    private byte[] payload;
    private int payloadAt;

    /**
     * @param peerProtocol the protocol id the peer must announce (PAIR for PAIR, SUB for PUB)
     * @param ipc          whether frames carry the IPC message-type byte
     * @param maxMessage   larger messages are refused before any of their bytes are buffered
     */
    public SpCodec(int peerProtocol, boolean ipc, long maxMessage) {
        this.peerProtocol = peerProtocol;
        this.ipc = ipc;
        this.maxMessage = Math.min(maxMessage, Integer.MAX_VALUE - 16);
    }

    /** The header this side sends first. */
    public static byte[] header(int protocol) {
        return new byte[]{0x00, 'S', 'P', 0x00, (byte) (protocol >> 8), (byte) protocol, 0, 0};
    }

    /** The bytes that precede a message of {@code length} bytes. */
    public static byte[] frameHeader(long length, boolean ipc) {
        ByteBuffer b = ByteBuffer.allocate(ipc ? 9 : 8);
        if (ipc) {
            b.put(IPC_MESSAGE);
        }
        return b.putLong(length).array();
    }

    /** A whole frame (header and payload), for tests and small messages. */
    public static byte[] frame(byte[] message, boolean ipc) {
        byte[] head = frameHeader(message.length, ipc);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    /** True once the peer's header arrived and was accepted. */
    public boolean headerDone() {
        return state != State.HEADER;
    }

    /** True when no partial header or message is buffered. */
    public boolean idle() {
        return state == State.HEADER ? have == 0 : (state == State.TYPE || state == State.LENGTH && have == 0);
    }

    /**
     * Consumes all of {@code in}; each complete message goes to {@code out}. After an
     * exception the connection must be closed: the stream is no longer in step.
     */
    public void feed(ByteBuffer in, Consumer<byte[]> out) throws SpException {
        while (in.hasRemaining()) {
            switch (state) {
                case HEADER -> {
                    if (fill(in, HEADER_SIZE)) {
                        checkHeader();
                        have = 0;
                        state = ipc ? State.TYPE : State.LENGTH;
                    }
                }
                case TYPE -> {
                    byte type = in.get();
                    if (type != IPC_MESSAGE) {
                        throw new SpException(String.format("unknown IPC message type 0x%02x", type & 0xff));
                    }
                    state = State.LENGTH;
                }
                case LENGTH -> {
                    if (fill(in, 8)) {
                        have = 0;
                        long length = ByteBuffer.wrap(scratch).getLong();
                        if (length < 0 || length > maxMessage) {
                            throw new SpException("message of " + Long.toUnsignedString(length)
                                    + " bytes over the limit of " + maxMessage);
                        }
                        payload = new byte[(int) length];
                        payloadAt = 0;
                        state = State.PAYLOAD;
                        if (length == 0) {
                            deliver(out);
                        }
                    }
                }
                case PAYLOAD -> {
                    int n = Math.min(in.remaining(), payload.length - payloadAt);
                    in.get(payload, payloadAt, n);
                    payloadAt += n;
                    if (payloadAt == payload.length) {
                        deliver(out);
                    }
                }
            }
        }
    }

    private void deliver(Consumer<byte[]> out) {
        byte[] m = payload;
        payload = null;
        state = ipc ? State.TYPE : State.LENGTH;
        out.accept(m);
    }

    private boolean fill(ByteBuffer in, int size) {
        int n = Math.min(in.remaining(), size - have);
        in.get(scratch, have, n);
        have += n;
        return have == size;
    }

    private void checkHeader() throws SpException {
        if (scratch[0] != 0 || scratch[1] != 'S' || scratch[2] != 'P' || scratch[3] != 0) {
            throw new SpException("not an SP protocol header");
        }
        int protocol = ((scratch[4] & 0xff) << 8) | (scratch[5] & 0xff);
        if (protocol != peerProtocol) {
            throw new SpException("peer protocol 0x" + Integer.toHexString(protocol) + " is not the expected 0x"
                    + Integer.toHexString(peerProtocol));
        }
    }
}
