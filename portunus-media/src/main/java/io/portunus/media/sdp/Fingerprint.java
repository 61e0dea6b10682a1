package io.portunus.media.sdp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint, {@code a=fingerprint:<hash> <value>} (RFC 8122 §5). The hash name
 * is kept lowercase ({@code sha-256}) and the value uppercase hex with colons, the form Janus
 * shows in {@code handle_info} and compares against the DTLS certificate.
 */
public record Fingerprint(String hash, String value) {
    private static final Pattern HEX_PAIRS = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*");

    public Fingerprint {
        hash = hash.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
    }

    /** Parses the attribute value {@code sha-256 1A:F8:...}. */
    public static Fingerprint parse(String attributeValue) throws SdpException {
        String[] parts = Attributes.words(attributeValue, 0);
        if (parts.length != 2 || parts[0].isEmpty() || !HEX_PAIRS.matcher(parts[1]).matches()) {
            throw new SdpException("Invalid fingerprint: " + attributeValue);
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** The attribute value, {@code sha-256 1A:F8:...}. */
    public String toSdpValue() {
        return hash + " " + value;
    }
}
