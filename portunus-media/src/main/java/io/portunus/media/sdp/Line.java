package io.portunus.media.sdp;

import java.util.List;

/** One {@code <type>=<value>} line as read or to be written, kept so the text round-trips. */
record Line(char type, String value) {

    /** RFC 8866 §5 order of the session-level lines; media sections use the same tail ("icbka"). */
    private static final String SESSION_ORDER = "vosiuepcbtrzka";
    private static final String MEDIA_ORDER = "micbka";

    boolean isAttribute() {
        return type == 'a';
    }

    Attribute attribute() {
        return Attribute.parse(value);
    }

    /**
     * Inserts a line built by code where RFC 8866 §5 wants it (after the last line of the same or
     * an earlier type), so that builders need not care about order. Parsing appends instead, to
     * keep whatever order the peer used.
     */
    static void insertOrdered(List<Line> lines, Line line, boolean media) {
        String order = media ? MEDIA_ORDER : SESSION_ORDER;
        int rank = order.indexOf(line.type());
        if (rank < 0) {
            rank = order.indexOf('k'); // unknown types go just before the attributes
        }
        int at = lines.size();
        for (int i = lines.size() - 1; i >= 0; i--) {
            int r = order.indexOf(lines.get(i).type());
            if (r >= 0 && r <= rank) {
                at = i + 1;
                break;
            }
            at = i;
        }
        lines.add(at, line);
    }
}
