package io.portunus.media.sdp;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Syntax checks and number parsing shared by the model. Every attribute the model interprets is
 * checked once, when it enters a section (parse or {@code addAttribute}), so the typed accessors
 * never meet a malformed line and need not throw.
 */
final class Attributes {
    private Attributes() {
    }

    /** Attributes {@link MediaSection} interprets; anything else is kept verbatim, in order. */
    static final Set<String> MEDIA_MODELED = Set.of("mid", "sendrecv", "sendonly", "recvonly", "inactive",
            "rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group", "msid", "rid", "simulcast", "candidate",
            "end-of-candidates", "rtcp-mux", "ice-ufrag", "ice-pwd", "fingerprint", "setup");

    /** Attributes {@link Sdp} interprets at session level. */
    static final Set<String> SESSION_MODELED = Set.of("group", "msid-semantic", "ice-options", "ice-lite",
            "extmap-allow-mixed", "ice-ufrag", "ice-pwd", "fingerprint", "setup", "sendrecv", "sendonly",
            "recvonly", "inactive");

    /** Fields are separated by single spaces (RFC 8866 §5); runs of them are tolerated. */
    static final Pattern SPACES = Pattern.compile(" +");
    static final Pattern WHITESPACE = Pattern.compile("[ \t]+");
    /** RFC 8851 §10 rid-id (also the simulcast stream ids of RFC 8853). */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    /** The space-separated fields of a value, at most {@code limit} of them (0 = all). */
    static String[] words(String value, int limit) {
        return SPACES.split(value.trim(), limit);
    }

    /** {@code 224.2.1.1/127} → {@code 224.2.1.1}: a c= address without its TTL / count (RFC 8866 §5.7). */
    static String beforeSlash(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    static int parseInt(String text, int min, int max, String error) throws SdpException {
        long v = parseLong(text, min, max, error);
        return (int) v;
    }

    static long parseLong(String text, long min, long max, String error) throws SdpException {
        // Digits only and at most 19 of them: Long.parseLong would accept "+5" and overflow is an exception.
        if (text.isEmpty() || text.length() > 19) {
            throw new SdpException(error);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpException(error);
            }
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
            throw new SdpException(error);
        }
        return v;
    }

    /** An SSRC is an unsigned 32-bit number (RFC 3550 §5.1), kept in a long. */
    static long parseSsrc(String text, String error) throws SdpException {
        return parseLong(text, 0, 0xFFFF_FFFFL, error);
    }

    /**
     * Checks one attribute the model interprets (others pass), so that a bad line is reported
     * with the line itself as the text a client sees.
     */
    static void check(Attribute a) throws SdpException {
        String v = a.value();
        String line = "a=" + a.toSdpValue();
        switch (a.name()) {
            case "rtpmap" -> {
                String[] p = split2(v, line);
                parseInt(p[0], 0, 127, "Invalid payload type: " + line);
                try {
                    Codec.parse(p[1].trim());
                } catch (SdpException e) {
                    throw new SdpException("Invalid rtpmap: " + line);
                }
            }
            case "fmtp" -> parseInt(firstToken(v, line), 0, 65535, "Invalid payload type: " + line);
            case "rtcp-fb" -> {
                String pt = split2(v, line)[0];
                if (!pt.equals("*")) {
                    parseInt(pt, 0, 127, "Invalid payload type: " + line);
                }
            }
            case "extmap" -> rethrow(() -> Extmap.parse(required(v, line)), line);
            case "ssrc" -> {
                String[] p = split2(v, line);
                parseSsrc(p[0], "Invalid ssrc: " + line);
            }
            case "ssrc-group" -> rethrow(() -> SsrcGroup.parse(required(v, line)), line);
            case "rid" -> rethrow(() -> Rid.parse(required(v, line)), line);
            case "simulcast" -> rethrow(() -> Simulcast.parse(required(v, line)), line);
            case "candidate" -> rethrow(() -> Candidate.parse(required(v, line)), line);
            case "fingerprint" -> rethrow(() -> Fingerprint.parse(required(v, line)), line);
            case "setup" -> {
                if (v == null || Setup.fromSdpName(v.trim()) == null) {
                    throw new SdpException("Invalid setup: " + line);
                }
            }
            case "mid" -> {
                // RFC 5888 §4: a token; a space would also break a=group:BUNDLE.
                if (v == null || v.isBlank() || !NO_SPACE.matcher(v.strip()).matches()) {
                    throw new SdpException("Invalid mid: " + line);
                }
            }
            case "ice-ufrag", "ice-pwd" -> {
                if (v == null || v.isBlank()) {
                    throw new SdpException("Invalid attribute (empty value): " + line);
                }
            }
            case "group" -> {
                if (v == null || v.isBlank()) {
                    throw new SdpException("Invalid group: " + line);
                }
            }
            default -> {
                if (a.name().isEmpty()) {
                    throw new SdpException("Invalid attribute (no name): " + line);
                }
            }
        }
    }

    private interface Parse {
        void run() throws SdpException;
    }

    /** Reports a malformed attribute with its whole line, not just the fragment that failed. */
    private static void rethrow(Parse p, String line) throws SdpException {
        try {
            p.run();
        } catch (SdpException e) {
            throw new SdpException("Invalid " + line.substring(2, line.indexOf(':') < 0 ? line.length()
                    : line.indexOf(':')) + ": " + line);
        }
    }

    private static String required(String value, String line) throws SdpException {
        if (value == null) {
            throw new SdpException("Invalid attribute (missing value): " + line);
        }
        return value;
    }

    /** {@code <first> <rest>} with both parts present. */
    static String[] split2(String value, String line) throws SdpException {
        String v = required(value, line).trim();
        int sp = v.indexOf(' ');
        if (sp <= 0 || v.substring(sp + 1).isBlank()) {
            int colon = line.indexOf(':');
            throw new SdpException("Invalid " + line.substring(2, colon < 0 ? line.length() : colon) + ": " + line);
        }
        return new String[] {v.substring(0, sp), v.substring(sp + 1).trim()};
    }

    private static String firstToken(String value, String line) throws SdpException {
        String v = required(value, line).trim();
        int sp = v.indexOf(' ');
        return sp < 0 ? v : v.substring(0, sp);
    }
}
