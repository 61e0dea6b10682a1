package io.portunus.media.sdp;

import java.util.Set;

/**
 * Text to {@link Sdp}. Errors name the offending line, since they go back to the client.
 *
 * <p>The first check is the one Janus applies before anything else (its texts, kept exactly):
 * every non-empty line must be {@code <letter>=...}. The rest follows RFC 8866 §5: {@code v=0}
 * first, one {@code o=}, session-only lines never inside a media section, well-formed
 * {@code m=} and {@code c=} lines, and well-formed values for the attributes the model reads.
 * Unknown line types and attributes are kept as they are (RFC 8866 §5.13: ignore what is not
 * understood), so nothing is lost on the way through.
 */
final class SdpParser {
    private SdpParser() {
    }

    /** Lines that RFC 8866 §5 allows only before the first m= line. */
    private static final Set<Character> SESSION_ONLY = Set.of('v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z');

    static Sdp parse(String text) throws SdpException {
        if (text == null || text.isEmpty()) {
            throw new SdpException("Empty SDP");
        }
        String[] rawLines = text.split("\r?\n");
        // Janus checks every line's shape before reading any: the first malformed line wins
        // over any other problem, whatever comes first.
        for (String raw : rawLines) {
            if (!raw.isEmpty() && (raw.length() < 2 || raw.charAt(1) != '=')) {
                throw new SdpException("Invalid line (2nd char is not '='): " + raw);
            }
        }
        Sdp sdp = Sdp.empty();
        MediaSection current = null;
        boolean first = true;
        boolean sawOrigin = false;
        boolean sawName = false;
        for (String raw : rawLines) {
            if (raw.isEmpty()) {
                continue; // Janus skips empty lines too, e.g. a trailing CRLF
            }
            char type = raw.charAt(0);
            String value = raw.substring(2);
            if (first) {
                if (type != 'v' || !value.trim().equals("0")) {
                    throw new SdpException("Invalid SDP (first line must be v=0): " + raw);
                }
                sdp.appendParsed(new Line(type, value));
                first = false;
                continue;
            }
            if (current != null && SESSION_ONLY.contains(type)) {
                throw new SdpException("Session-level line in a media section: " + raw);
            }
            switch (type) {
                case 'v' -> throw new SdpException("Duplicate v= line: " + raw);
                case 'o' -> {
                    if (sawOrigin) {
                        throw new SdpException("Duplicate o= line: " + raw);
                    }
                    Origin.parse(value);
                    sawOrigin = true;
                }
                case 's' -> {
                    if (sawName) {
                        throw new SdpException("Duplicate s= line: " + raw);
                    }
                    sawName = true;
                }
                case 'c' -> checkConnection(value, raw);
                case 'm' -> {
                    if (!sawOrigin) {
                        throw new SdpException("Missing o= line");
                    }
                    current = MediaSection.parseMLine(value);
                    sdp.addMedia(current);
                    continue;
                }
                default -> {
                }
            }
            Line line = new Line(type, value);
            if (current == null) {
                sdp.appendParsed(line);
            } else {
                current.appendParsed(line);
            }
        }
        if (first) {
            throw new SdpException("Empty SDP");
        }
        if (!sawOrigin) {
            throw new SdpException("Missing o= line");
        }
        return sdp;
    }

    /** {@code c=<nettype> <addrtype> <address>[/ttl[/n]]} (RFC 8866 §5.7). */
    private static void checkConnection(String value, String raw) throws SdpException {
        String[] t = Attributes.words(value, 0);
        if (t.length != 3 || Attributes.beforeSlash(t[2]).isEmpty()) {
            throw new SdpException("Invalid c= line: " + raw);
        }
    }
}
