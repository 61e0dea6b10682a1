package io.portunus.core.spi;

/**
 * A decrypted RTP or RTCP packet handed between the core and a plugin.
 *
 * @param mid       the m-line's mid the packet belongs to
 * @param video     true for video, false for audio
 * @param buffer    packet bytes; {@code offset}/{@code length} delimit the packet
 * @param substream the simulcast layer (0 = lowest) an incoming RTP packet came on, or the layer
 *                  an outgoing RTCP feedback (PLI) is about; -1 without simulcast
 */
public record MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length, int substream) {

    /** A packet of a stream without simulcast. */
    public MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length) {
        this(mid, video, buffer, offset, length, -1);
    }
}
