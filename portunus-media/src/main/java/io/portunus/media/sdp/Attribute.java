package io.portunus.media.sdp;

/**
 * One {@code a=} line (RFC 8866 §5.13): {@code a=<name>} (a property, {@code value} null) or
 * {@code a=<name>:<value>} (the value is everything after the first colon, spaces included).
 */
public record Attribute(String name, String value) {

    /** Splits the text after {@code a=}; the name is stripped so that a stray space does not hide it. */
    static Attribute parse(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? new Attribute(line.strip(), null)
                : new Attribute(line.substring(0, colon).strip(), line.substring(colon + 1));
    }

    /** The text after {@code a=}. */
    public String toSdpValue() {
        return value == null ? name : name + ":" + value;
    }
}
