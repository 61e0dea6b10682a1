package io.portunus.media.sdp;

/**
 * The media direction attributes of RFC 8866 §6.7 ({@code a=sendrecv} ... {@code a=inactive}),
 * always from the point of view of whoever wrote the SDP.
 */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String sdpName;

    Direction(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The attribute name, e.g. {@code recvonly}. */
    public String sdpName() {
        return sdpName;
    }

    /** The direction named by an attribute, or null when the name is not a direction. */
    public static Direction fromSdpName(String name) {
        for (Direction d : values()) {
            if (d.sdpName.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The direction an answerer writes so that the stream flows as offered (RFC 3264 §6.1): what
     * the offerer sends the answerer receives, so {@code sendonly} becomes {@code recvonly} and
     * the other way round; {@code sendrecv} and {@code inactive} stay as they are.
     */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** Whether the writer of the SDP sends media in this direction. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the writer of the SDP receives media in this direction. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
