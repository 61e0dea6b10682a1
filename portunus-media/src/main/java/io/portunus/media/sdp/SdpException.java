package io.portunus.media.sdp;

/**
 * A session description that cannot be parsed or answered. The message is meant for the client:
 * the Janus API returns it as the reason of error 465 ({@code JANUS_ERROR_JSEP_INVALID_SDP}), so
 * it quotes the offending line instead of naming Java types.
 */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }
}
