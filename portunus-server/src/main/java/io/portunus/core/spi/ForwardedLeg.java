package io.portunus.core.spi;

/**
 * One m-line of a PeerConnection that forwards another one's media (a VideoRoom subscriber's
 * leg), as the plugin offers it.
 *
 * @param mid          the leg's mid in the offer
 * @param video        video or audio
 * @param extensionIds header-extension ids from the source's to the leg's: index = the id in the
 *                     packets the plugin forwards, value = the id negotiated on this leg (0 drops
 *                     the element); see {@link io.portunus.media.rtp.ExtensionIds}
 */
public record ForwardedLeg(String mid, boolean video, int[] extensionIds) {
}
