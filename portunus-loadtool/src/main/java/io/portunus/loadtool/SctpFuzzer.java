package io.portunus.loadtool;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Makes fuzzed SCTP packets for a live association, from the valid packets our own association
 * sent (it sees both directions through {@link DataChannelPeer.SctpTap}). Five kinds in turn:
 * a byte flipped with the CRC left as it was (bad CRC); bytes of the chunks flipped and the CRC
 * made right again; the packet cut short (CRC right or not); a wrong verification tag (with
 * the packet's own chunks, an ABORT or SHUTDOWN, or an INIT with tag 0); and one to three
 * chunks of random type, flags, length and content under the right tag.
 *
 * <p>Left out, because a genuine peer inside the same DTLS session could send them and the
 * protocol then says the call ends or data changes: ABORT and SHUTDOWN chunks under the right
 * tag, DATA and FORWARD-TSN whose TSN falls in the range our real data uses next (they would
 * take its place), SACKs acking the server's data past what we received (it would free it),
 * and stream reset requests (they close channels). Everything else goes.
 */
final class SctpFuzzer implements DataChannelPeer.SctpTap {
    static final String[] KINDS = {"bad_crc", "corrupt_chunks", "truncated", "wrong_tag", "random_chunks"};

    private static final int ABORT = 6;
    private static final int SHUTDOWN = 7;
    private static final int SHUTDOWN_ACK = 8;
    private static final int SHUTDOWN_COMPLETE = 14;
    private static final int DATA = 0;
    private static final int INIT = 1;
    private static final int SACK = 3;
    private static final int RE_CONFIG = 130;
    private static final int FORWARD_TSN = 192;
    /** TSNs this far past the server's cumulative ack are ours to come: fuzzed DATA stays out of them. */
    private static final long RESERVED_TSNS = 1L << 20;
    private static final int[] KNOWN_TYPES = {0, 1, 2, 3, 4, 5, 9, 10, 11, 130, 192, 15, 64, 128, 193, 255};

    private final Random random;
    private final List<byte[]> seen = new ArrayList<>();
    private int nextSeen;
    private long outCount;
    /** The server's tag (what our packets carry) and ours (what its packets carry). */
    private long serverTag = -1;
    private long ourTag = -1;
    /** The server's cumulative ack of our TSNs, from its SACKs (-1 until one came). */
    private long ackedTsn = -1;
    /** Our cumulative ack of the server's TSNs, from our own SACKs (-1 until one went). */
    private long receivedTsn = -1;
    final long[] made = new long[KINDS.length];
    long rejected;

    SctpFuzzer(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public void in(byte[] p) {
        if (p.length < 16) {
            return;
        }
        ourTag = PacketBytes.readInt(p, 4) & 0xFFFFFFFFL;
        forEachChunk(p, (type, at, length) -> {
            if (type == SACK && length >= 8) {
                long cum = PacketBytes.readInt(p, at + 4) & 0xFFFFFFFFL;
                if (ackedTsn < 0 || serialAfter(cum, ackedTsn)) {
                    ackedTsn = cum;
                }
            }
            return true;
        });
    }

    @Override
    public void out(byte[] p) {
        if (p.length < 16) {
            return;
        }
        serverTag = PacketBytes.readInt(p, 4) & 0xFFFFFFFFL;
        forEachChunk(p, (type, at, length) -> {
            if (type == SACK && length >= 8) {
                long cum = PacketBytes.readInt(p, at + 4) & 0xFFFFFFFFL;
                if (receivedTsn < 0 || serialAfter(cum, receivedTsn)) {
                    receivedTsn = cum;
                }
            }
            return true;
        });
        // One packet in eight, so the ring reaches back a few seconds: most of its DATA is acked
        // by the time it is mutated (the newest would be left out, see reserved()).
        if (outCount++ % 8 != 0) {
            return;
        }
        byte[] copy = p.clone();
        if (seen.size() < 256) {
            seen.add(copy);
        } else {
            seen.set(nextSeen, copy);
            nextSeen = (nextSeen + 1) % seen.size();
        }
    }

    /** Whether it has what it needs: packets seen and an ack from the server. */
    boolean ready() {
        return !seen.isEmpty() && ackedTsn >= 0 && receivedTsn >= 0 && ourTag >= 0;
    }

    /** The next fuzzed packet; kinds in turn. */
    byte[] next(long n) {
        int kind = (int) (n % KINDS.length);
        for (int attempt = 0; attempt < 50; attempt++) {
            byte[] p = switch (kind) {
                case 0 -> badCrc();
                case 1 -> corruptChunks();
                case 2 -> truncated();
                case 3 -> wrongTag();
                default -> randomChunks();
            };
            if (kind == 0 || kind == 3 || acceptable(p)) {
                made[kind]++;
                return p;
            }
            rejected++;
        }
        made[0]++;
        return badCrc();
    }

    private byte[] base() {
        return seen.get(random.nextInt(seen.size())).clone();
    }

    private byte[] badCrc() {
        byte[] p = base();
        int i = random.nextInt(p.length);
        p[i] ^= (byte) (1 + random.nextInt(255));
        return p;
    }

    private byte[] corruptChunks() {
        byte[] p = base();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
            int i = 12 + random.nextInt(p.length - 12);
            p[i] ^= (byte) (1 + random.nextInt(255));
        }
        return withCrc(p);
    }

    private byte[] truncated() {
        byte[] p = base();
        int k = 1 + random.nextInt(p.length - 1);
        byte[] t = new byte[k];
        System.arraycopy(p, 0, t, 0, k);
        return k >= 12 && random.nextBoolean() ? withCrc(t) : t;
    }

    private byte[] wrongTag() {
        byte[] p;
        int pick = random.nextInt(6);
        long tag;
        do {
            tag = random.nextInt() & 0xFFFFFFFFL;
        } while (tag == serverTag || tag == ourTag || tag == 0);
        if (pick == 0) {
            p = chunkPacket(tag, ABORT, random.nextInt(2), new byte[0]);           // T bit or not
        } else if (pick == 1) {
            p = chunkPacket(tag, SHUTDOWN, 0, new byte[4]);
        } else if (pick == 2) {
            byte[] init = new byte[16];
            random.nextBytes(init);
            p = chunkPacket(0, INIT, 0, init);   // a new INIT in the middle of the call
        } else {
            p = base();
            PacketBytes.writeInt(p, 4, (int) tag);
        }
        return withCrc(p);
    }

    private byte[] randomChunks() {
        int count = 1 + random.nextInt(3);
        List<byte[]> chunks = new ArrayList<>();
        int total = 12;
        for (int c = 0; c < count; c++) {
            int type = random.nextBoolean() ? KNOWN_TYPES[random.nextInt(KNOWN_TYPES.length)] : random.nextInt(256);
            int valueLength = random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(40);
            byte[] chunk = new byte[4 + valueLength + (4 - valueLength % 4) % 4];
            random.nextBytes(chunk);
            chunk[0] = (byte) type;
            int declared = random.nextInt(8) == 0 ? random.nextInt(65536) : 4 + valueLength;  // sometimes a lie
            chunk[2] = (byte) (declared >>> 8);
            chunk[3] = (byte) declared;
            chunks.add(chunk);
            total += chunk.length;
        }
        byte[] p = new byte[total];
        header(p, serverTag);
        int at = 12;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, p, at, chunk.length);
            at += chunk.length;
        }
        return withCrc(p);
    }

    /** What a genuine peer could send with consequences (see the class comment) is left out. */
    private boolean acceptable(byte[] p) {
        if (p.length >= 8 && (PacketBytes.readInt(p, 4) & 0xFFFFFFFFL) != serverTag) {
            return true;
        }
        return forEachChunk(p, (type, at, length) -> {
            if (type == ABORT || type == SHUTDOWN || type == SHUTDOWN_ACK || type == SHUTDOWN_COMPLETE) {
                return false;
            }
            if ((type == DATA || type == FORWARD_TSN) && length >= 8 && reserved(PacketBytes.readInt(p, at + 4) & 0xFFFFFFFFL, ackedTsn)) {
                return false;
            }
            // A cumulative ack past what we got: the server would free data we may never have
            // received (a DTLS queue drop is a loss), by the protocol's rules for good.
            if (type == SACK && length >= 8 && reserved(PacketBytes.readInt(p, at + 4) & 0xFFFFFFFFL, receivedTsn)) {
                return false;
            }
            if (type == RE_CONFIG) {
                for (int q = at + 4; q + 4 <= at + length && q + 4 <= p.length; ) {
                    int param = (p[q] & 0xFF) << 8 | p[q + 1] & 0xFF;
                    int plen = (p[q + 2] & 0xFF) << 8 | p[q + 3] & 0xFF;
                    if (param >= 13 && param <= 15) {
                        return false;
                    }
                    if (plen < 4) {
                        break;
                    }
                    q += (plen + 3) & ~3;
                }
            }
            return true;
        });
    }

    private static boolean reserved(long tsn, long from) {
        long ahead = (tsn - from) & 0xFFFFFFFFL;
        return ahead != 0 && ahead <= RESERVED_TSNS;
    }

    private interface ChunkVisitor {
        /** @return false to stop with false */
        boolean visit(int type, int at, int length);
    }

    /** Visits the chunks as far as they parse; the type of a chunk cut short still counts. */
    private static boolean forEachChunk(byte[] p, ChunkVisitor v) {
        int at = 12;
        while (at + 4 <= p.length) {
            int type = p[at] & 0xFF;
            int length = (p[at + 2] & 0xFF) << 8 | p[at + 3] & 0xFF;
            int available = Math.min(length, p.length - at);
            if (!v.visit(type, at, Math.max(4, available))) {
                return false;
            }
            if (length < 4) {
                break;
            }
            at += (length + 3) & ~3;
        }
        return true;
    }

    private static boolean serialAfter(long a, long b) {
        long d = (a - b) & 0xFFFFFFFFL;
        return d != 0 && d < 0x80000000L;
    }

    private byte[] chunkPacket(long tag, int type, int flags, byte[] value) {
        byte[] p = new byte[12 + 4 + value.length + (4 - value.length % 4) % 4];
        header(p, tag);
        p[12] = (byte) type;
        p[13] = (byte) flags;
        p[14] = (byte) ((4 + value.length) >>> 8);
        p[15] = (byte) (4 + value.length);
        System.arraycopy(value, 0, p, 16, value.length);
        return p;
    }

    private static void header(byte[] p, long tag) {
        p[0] = (byte) (5000 >>> 8);
        p[1] = (byte) 5000;
        p[2] = (byte) (5000 >>> 8);
        p[3] = (byte) 5000;
        PacketBytes.writeInt(p, 4, (int) tag);
    }

    /** Writes the CRC32c (little-endian in the packet, RFC 4960 appendix B) for these bytes. */
    private static byte[] withCrc(byte[] p) {
        if (p.length < 12) {
            return p;
        }
        CRC32C crc = new CRC32C();
        crc.update(p, 0, 8);
        crc.update(new byte[4], 0, 4);
        crc.update(p, 12, p.length - 12);
        long c = crc.getValue();
        p[8] = (byte) c;
        p[9] = (byte) (c >>> 8);
        p[10] = (byte) (c >>> 16);
        p[11] = (byte) (c >>> 24);
        return p;
    }
}
