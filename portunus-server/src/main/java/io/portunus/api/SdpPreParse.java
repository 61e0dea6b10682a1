package io.portunus.api;

/**
 * The cheap syntax check Janus runs on a JSEP's SDP before anything else, with its texts
 * (e.g. {@code Invalid line (2nd char is not '='): broken}). The full SDP model lives in
 * {@code media/sdp}; this only decides between "looks like SDP" and error 465.
 */
final class SdpPreParse {
    private SdpPreParse() {
    }

    /** The first problem found, or null. */
    static String firstError(String sdp) {
        if (sdp.isEmpty()) {
            return "Empty SDP";
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                return "Invalid line (2nd char is not '='): " + line;
            }
        }
        return null;
    }
}
