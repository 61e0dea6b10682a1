package io.portunus.media.sctp;

import static io.portunus.media.sctp.SctpPacket.u16;
import static io.portunus.media.sctp.SctpPacket.u32;
import static io.portunus.media.sctp.SctpPacket.u8;

/**
 * The body of an INIT or INIT-ACK chunk (RFC 4960 §3.3.2, §3.3.3) as the peer sent it: its tag,
 * window, stream counts and first TSN, whether it does FORWARD-TSN (RFC 3758, either parameter
 * says so) and where its state cookie is ({@code cookieOffset} -1 when there is none). Ours is
 * written by {@link #writeBody}, offering FORWARD-TSN and RE-CONFIG (RFC 6525).
 */
record InitChunk(long tag, long window, int outStreams, int inStreams, long initialTsn, boolean forwardTsn,
                 int cookieOffset, int cookieLength) {

    private static final int STREAMS = 65535;
    private static final int PARAM_STATE_COOKIE = 7;
    private static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    private static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;

    /** Our INIT or INIT-ACK body, without the cookie. */
    static void writeBody(PacketWriter w, long localTag, int receiveBuffer, long localInitialTsn) {
        w.u32(localTag).u32(receiveBuffer).u16(STREAMS).u16(STREAMS).u32(localInitialTsn);
        w.u16(PARAM_FORWARD_TSN_SUPPORTED).u16(4);
        w.u16(PARAM_SUPPORTED_EXTENSIONS).u16(6).u8(SctpPacket.RE_CONFIG).u8(SctpPacket.FORWARD_TSN).u16(0);
    }

    /** The INIT-ACK's state cookie parameter, after {@link #writeBody}. */
    static void writeStateCookie(PacketWriter w, byte[] cookie) {
        w.param(PARAM_STATE_COOKIE, cookie);
    }

    /**
     * Reads the chunk value at {@code v}; null when it is too short or its tag is 0. Parameters we
     * do not know are skipped; a malformed one ends the list.
     */
    static InitChunk parse(byte[] b, int v, int vlen) {
        if (vlen < 16) {
            return null;
        }
        long tag = u32(b, v);
        if (tag == 0) {
            return null;
        }
        boolean forwardTsn = false;
        int cookieOffset = -1;
        int cookieLength = 0;
        int p = v + 16;
        int end = v + vlen;
        while (p + 4 <= end) {
            int type = u16(b, p);
            int plen = u16(b, p + 2);
            if (plen < 4 || p + plen > end) {
                break;
            }
            if (type == PARAM_FORWARD_TSN_SUPPORTED) {
                forwardTsn = true;
            } else if (type == PARAM_SUPPORTED_EXTENSIONS) {
                for (int i = p + 4; i < p + plen; i++) {
                    forwardTsn |= u8(b, i) == SctpPacket.FORWARD_TSN;
                }
            } else if (type == PARAM_STATE_COOKIE) {
                cookieOffset = p + 4;
                cookieLength = plen - 4;
            }
            p += SctpPacket.padded(plen);
        }
        return new InitChunk(tag, u32(b, v + 4), u16(b, v + 8), u16(b, v + 10), u32(b, v + 12), forwardTsn,
            cookieOffset, cookieLength);
    }
}
