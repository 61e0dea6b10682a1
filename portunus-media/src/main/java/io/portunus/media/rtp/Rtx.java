package io.portunus.media.rtp;

/**
 * RTP retransmission payload format (RFC 4588 §4): a retransmitted packet travels on its own
 * SSRC and payload type, with the original sequence number (OSN) as the first two payload
 * bytes. Wrapping and unwrapping copy once; padding is dropped on the way.
 */
public final class Rtx {
    private Rtx() {
    }

    /** Wraps a plain RTP packet as RTX with the given payload type, SSRC and sequence number. */
    public static byte[] wrap(byte[] original, int length, int rtxPayloadType, long rtxSsrc, int rtxSequence) {
        int headerLength = RtpHeader.payloadOffset(original, 0, length);
        int payloadLength = RtpHeader.payloadLength(original, 0, length);
        if (headerLength > length || payloadLength < 0) {
            return null;
        }
        byte[] out = new byte[headerLength + 2 + payloadLength];
        System.arraycopy(original, 0, out, 0, headerLength);
        out[0] &= (byte) ~0x20; // no padding in the copy
        int osn = RtpHeader.sequence(original, 0);
        out[headerLength] = (byte) (osn >>> 8);
        out[headerLength + 1] = (byte) osn;
        System.arraycopy(original, headerLength, out, headerLength + 2, payloadLength);
        RtpHeader.payloadType(out, 0, rtxPayloadType);
        RtpHeader.ssrc(out, 0, rtxSsrc);
        RtpHeader.sequence(out, 0, rtxSequence);
        return out;
    }

    /**
     * Unwraps an RTX packet into the original: OSN back as the sequence number, the media
     * payload type and SSRC. Null for a padding-only RTX packet (bandwidth probing) or a
     * malformed one.
     */
    public static byte[] unwrap(byte[] rtx, int length, int payloadType, long ssrc) {
        int headerLength = RtpHeader.payloadOffset(rtx, 0, length);
        int payloadLength = RtpHeader.payloadLength(rtx, 0, length);
        if (headerLength > length || payloadLength < 2) {
            return null;
        }
        byte[] out = new byte[headerLength + payloadLength - 2];
        System.arraycopy(rtx, 0, out, 0, headerLength);
        out[0] &= (byte) ~0x20;
        int osn = ((rtx[headerLength] & 0xFF) << 8) | (rtx[headerLength + 1] & 0xFF);
        System.arraycopy(rtx, headerLength + 2, out, headerLength, payloadLength - 2);
        RtpHeader.sequence(out, 0, osn);
        RtpHeader.payloadType(out, 0, payloadType);
        RtpHeader.ssrc(out, 0, ssrc);
        return out;
    }
}
