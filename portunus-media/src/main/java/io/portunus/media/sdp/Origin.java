package io.portunus.media.sdp;

/**
 * The {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>} line
 * (RFC 8866 §5.2). The numbers stay strings: RFC 8866 allows more digits than a long holds and
 * an answer copies them verbatim.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    static Origin parse(String value) throws SdpException {
        String[] parts = Attributes.words(value, 0);
        if (parts.length != 6 || parts[0].isEmpty()) {
            throw new SdpException("Invalid o= line: o=" + value);
        }
        return new Origin(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** The line's value, without {@code o=}. */
    public String toSdpValue() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
    }
}
