package io.portunus.core.spi;

/**
 * A decrypted RTP or RTCP packet handed between the core and a plugin.
 *
 * @param mid    the m-line's mid the packet belongs to
 * @param video  true for video, false for audio
 * @param buffer packet bytes; {@code offset}/{@code length} delimit the packet
 */
public record MediaPacket(String mid, boolean video, byte[] buffer, int offset, int length) {
}
