package io.portunus.core.spi;

/**
 * A decrypted RTP or RTCP packet handed between the core and a plugin.
 *
 * @param mid       the m-line's mid the packet belongs to
 * @param video     true for video, false for audio
 * @param buffer    packet bytes; {@code offset}/{@code length} delimit the packet
 * @param substream the simulcast layer (0 = lowest) an incoming RTP packet came on, or the layer
 *                  an outgoing RTCP feedback (PLI) is about; -1 without simulcast
 * @param leftOut   for RTP forwarded to a leg ({@link PluginContext#forwardRtp}): packets of the
 *                  same source the plugin left out on purpose just before this one (a temporal
 *                  layer the leg does not get), so the leg's sequence numbers close the gap; else 0
 */
public record MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length, int substream, int leftOut) {

    /** A packet of a stream without simulcast. */
    public MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length) {
        this(mid, video, buffer, offset, length, -1, 0);
    }

    /** A packet of (or feedback about) a simulcast layer. */
    public MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length, int substream) {
        this(mid, video, buffer, offset, length, substream, 0);
    }
}
