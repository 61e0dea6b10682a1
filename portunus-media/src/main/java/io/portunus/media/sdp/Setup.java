package io.portunus.media.sdp;

/**
 * The DTLS role attribute {@code a=setup} (RFC 4145 §4, used for DTLS-SRTP by RFC 8842 §5.1): an
 * offer says {@code actpass}, the answer picks {@code active} (DTLS client) or {@code passive}.
 */
public enum Setup {
    ACTPASS("actpass"), ACTIVE("active"), PASSIVE("passive"), HOLDCONN("holdconn");

    private final String sdpName;

    Setup(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The attribute value, e.g. {@code actpass}. */
    public String sdpName() {
        return sdpName;
    }

    /** The role named by an attribute value (case-insensitive), or null when unknown. */
    public static Setup fromSdpName(String value) {
        for (Setup s : values()) {
            if (s.sdpName.equalsIgnoreCase(value)) {
                return s;
            }
        }
        return null;
    }
}
