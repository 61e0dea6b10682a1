package io.portunus.media.sdp;

/**
 * What an {@code a=rtpmap:<pt> <name>/<clock rate>[/<channels>]} line says about a payload type
 * (RFC 8866 §6.6). {@code channels} is 0 when the line has none (video, and audio meaning 1).
 */
public record Codec(String name, int clockRate, int channels) {

    /** Parses the part after the payload type, e.g. {@code opus/48000/2}. */
    static Codec parse(String encoding) throws SdpException {
        String[] parts = encoding.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new SdpException("Invalid rtpmap encoding: " + encoding);
        }
        int rate = Attributes.parseInt(parts[1], 1, Integer.MAX_VALUE, "Invalid rtpmap clock rate: " + encoding);
        int channels = parts.length == 3
                ? Attributes.parseInt(parts[2], 1, 255, "Invalid rtpmap channels: " + encoding)
                : 0;
        return new Codec(parts[0], rate, channels);
    }

    /** The rtpmap encoding, e.g. {@code opus/48000/2}. */
    public String toSdpValue() {
        return channels > 0 ? name + "/" + clockRate + "/" + channels : name + "/" + clockRate;
    }

    /** Whether this is {@code name}, compared as RFC 4855 §3 says: case-insensitively. */
    public boolean is(String codecName) {
        return name.equalsIgnoreCase(codecName);
    }
}
