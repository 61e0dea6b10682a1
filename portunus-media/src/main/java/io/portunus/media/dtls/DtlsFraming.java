package io.portunus.media.dtls;

/**
 * A cheap structural check of incoming DTLS datagrams before Bouncy Castle sees them.
 *
 * <p>RFC 6347 §4.1.2.7 says invalid records are silently discarded, and BC does discard most,
 * but at epoch 0 records carry no MAC: a well-framed junk record with a large sequence number
 * would still move BC's replay window (§4.1.2.6) so far that the peer's genuine ClientHello
 * (sequence 0) is then dropped as a replay. Rejecting datagrams that are not a sequence of
 * complete, well-formed records, epoch-0 records with implausible sequence numbers, and epoch-0
 * handshake records whose fragment headers do not add up (§4.2.2) keeps junk from reaching
 * that state.
 */
final class DtlsFraming {

    static final int RECORD_HEADER = 13;
    static final int HANDSHAKE_HEADER = 12;
    /** No real handshake sends anywhere near this many epoch-0 records. */
    static final long MAX_EPOCH0_SEQUENCE = 0xFFFF;

    private DtlsFraming() {
    }

    /** True if {@code d[off..off+len)} is one or more complete DTLS records that look genuine. */
    static boolean plausible(byte[] d, int off, int len) {
        int end = off + len;
        int p = off;
        if (len < RECORD_HEADER) {
            return false;
        }
        while (p < end) {
            if (end - p < RECORD_HEADER) {
                return false;
            }
            int type = d[p] & 0xFF;
            // change_cipher_spec, alert, handshake, application_data, heartbeat (RFC 6520)
            if (type < 20 || type > 24) {
                return false;
            }
            // DTLS 1.0 is {254, 255}, DTLS 1.2 {254, 253} (RFC 6347 §4.1)
            if ((d[p + 1] & 0xFF) != 0xFE || (d[p + 2] & 0xFF) < 0xFC) {
                return false;
            }
            int epoch = u16(d, p + 3);
            long seq = ((long) u16(d, p + 5) << 32) | ((long) u16(d, p + 7) << 16) | u16(d, p + 9);
            int length = u16(d, p + 11);
            int body = p + RECORD_HEADER;
            if (length > end - body) {
                return false;
            }
            if (epoch == 0) {
                if (seq > MAX_EPOCH0_SEQUENCE) {
                    return false;
                }
                if (type == 22 && !handshakeFragments(d, body, length)) {
                    return false;
                }
            }
            p = body + length;
        }
        return true;
    }

    /** Plaintext handshake record: fragments whose headers exactly fill it (RFC 6347 §4.2.2). */
    private static boolean handshakeFragments(byte[] d, int p, int length) {
        int end = p + length;
        if (length < HANDSHAKE_HEADER) {
            return false;
        }
        while (p < end) {
            if (end - p < HANDSHAKE_HEADER) {
                return false;
            }
            int msgLength = u24(d, p + 1);
            int fragOffset = u24(d, p + 6);
            int fragLength = u24(d, p + 9);
            if (fragOffset + fragLength > msgLength || fragLength > end - p - HANDSHAKE_HEADER) {
                return false;
            }
            p += HANDSHAKE_HEADER + fragLength;
        }
        return true;
    }

    private static int u16(byte[] d, int i) {
        return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
    }

    private static int u24(byte[] d, int i) {
        return ((d[i] & 0xFF) << 16) | ((d[i + 1] & 0xFF) << 8) | (d[i + 2] & 0xFF);
    }
}
