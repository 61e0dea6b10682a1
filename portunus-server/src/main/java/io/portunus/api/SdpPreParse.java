package io.portunus.api;

/**
 * The cheap syntax check Janus runs on a JSEP's SDP before anything else, in its order and with
 * its texts as Janus 1.1.2 answers them (e2e/scripts/videoroom-errors-compare.py): the text must
 * start with {@code v=}, every line must be {@code <letter>=...}, an {@code m=} line needs at
 * least a type, port, protocol and one format, and {@code o=}, {@code s=} and {@code m=} must
 * all be there. The full SDP model lives in {@code media/sdp}; this only decides between "looks
 * like SDP" and error 465.
 */
final class SdpPreParse {
    private SdpPreParse() {
    }

    /** The first problem found, or null. */
    static String firstError(String sdp) {
        if (sdp.isEmpty()) {
            return "Empty SDP";
        }
        if (!sdp.startsWith("v=")) {
            return "Invalid SDP (doesn't start with v=)";
        }
        boolean origin = false;
        boolean name = false;
        boolean media = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                return "Invalid line (2nd char is not '='): " + line;
            }
            switch (line.charAt(0)) {
                case 'o' -> origin = true;
                case 's' -> name = true;
                case 'm' -> {
                    int words = line.substring(2).trim().split("\\s+").length;
                    if (words < 3) {
                        return "Invalid m= line: " + line;
                    }
                    if (words == 3) {
                        return "Invalid m= line (no payload types/formats): " + line;
                    }
                    media = true;
                }
                default -> {
                }
            }
        }
        if (!origin || !name || !media) {
            return "Missing mandatory lines (o=, s= or m=)";
        }
        return null;
    }
}
