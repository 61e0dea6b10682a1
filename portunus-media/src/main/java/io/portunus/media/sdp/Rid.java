package io.portunus.media.sdp;

/**
 * A restriction identifier, {@code a=rid:<id> send|recv [<params>]} (RFC 8851 §4/§10): one per
 * simulcast encoding. {@code params} (e.g. {@code max-width=1280;pt=96}) is null when absent.
 */
public record Rid(String id, String direction, String params) {

    static Rid parse(String value) throws SdpException {
        String[] parts = Attributes.words(value, 3);
        // RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_"), rid-dir = "send" / "recv".
        if (parts.length < 2 || !Attributes.TOKEN.matcher(parts[0]).matches()
                || !(parts[1].equals("send") || parts[1].equals("recv"))) {
            throw new SdpException("Invalid rid: " + value);
        }
        return new Rid(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The attribute value, e.g. {@code h send}. */
    public String toSdpValue() {
        return params == null ? id + " " + direction : id + " " + direction + " " + params;
    }
}
