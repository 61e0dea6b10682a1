package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 8866) as WebRTC uses it (RFC 8829, JSEP): session-level lines and
 * an ordered list of {@link MediaSection}s.
 *
 * <p>Like {@link MediaSection}, the lines are the source of truth: {@link #parse} keeps them in
 * order and {@link #write} writes them back with CRLF endings, so {@code parse(x).write()} is
 * {@code x} (with CRLF line endings, empty lines dropped, runs of spaces in {@code m=} lines
 * collapsed). Typed accessors read the lines; the transport accessors ({@link #iceUfrag},
 * {@link #fingerprint}, {@link #setup}) look at the session level and then at the first
 * m-line, because browsers write them per m-line and BUNDLE (RFC 8843 §7) makes the first one
 * describe the shared transport.
 *
 * <p>Not thread-safe: build or parse it on one thread, then share it read-only.
 */
public final class Sdp {
    private final List<Line> lines = new ArrayList<>();
    private final List<MediaSection> media = new ArrayList<>();

    /** A new description with {@code v=0}, the origin, {@code s=} and {@code t=0 0} (RFC 8866 §5, JSEP §5.2.1). */
    public Sdp(Origin origin, String sessionName) {
        lines.add(new Line('v', "0"));
        lines.add(new Line('o', origin.toSdpValue()));
        lines.add(new Line('s', sessionName == null || sessionName.isEmpty() ? "-" : sessionName));
        lines.add(new Line('t', "0 0"));
    }

    private Sdp() {
    }

    static Sdp empty() {
        return new Sdp();
    }

    /**
     * Parses a session description. The exception's message is the text a client gets with
     * error 465, e.g. {@code Invalid line (2nd char is not '='): broken}.
     */
    public static Sdp parse(String text) throws SdpException {
        return SdpParser.parse(text);
    }

    /** The description with CRLF line endings (RFC 8866 §5), ready for a JSEP {@code sdp}. */
    public String write() {
        StringBuilder sb = new StringBuilder(2048);
        for (Line l : lines) {
            sb.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
        for (MediaSection m : media) {
            m.write(sb);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return write();
    }

    // ---- structure

    public List<MediaSection> media() {
        return Collections.unmodifiableList(media);
    }

    public void addMedia(MediaSection section) {
        section.parent = this;
        media.add(section);
    }

    /** The {@code o=} line (checked present by {@link #parse}). */
    public Origin origin() {
        String o = line('o');
        return o == null ? null : quiet(() -> Origin.parse(o));
    }

    /** The {@code s=} value, or null. */
    public String sessionName() {
        return line('s');
    }

    /** The value of the first session-level line of a type, or null. */
    public String line(char type) {
        for (Line l : lines) {
            if (l.type() == type) {
                return l.value();
            }
        }
        return null;
    }

    /** Adds a session-level non-attribute line ({@code c}, {@code b} ...) where RFC 8866 §5 orders it. */
    public void addLine(char type, String value) {
        if (type == 'a' || type == 'm' || type == 'v') {
            throw new IllegalArgumentException("use addAttribute / addMedia");
        }
        Line.insertOrdered(lines, new Line(type, Objects.requireNonNull(value)), false);
    }

    void appendParsed(Line line) throws SdpException {
        if (line.isAttribute()) {
            Attributes.check(line.attribute());
        }
        lines.add(line);
    }

    /** The session-level {@code c=} address, or null. */
    public String connectionAddress() {
        String c = line('c');
        if (c == null) {
            return null;
        }
        String[] t = Attributes.words(c, 0);
        return t.length >= 3 ? Attributes.beforeSlash(t[2]) : null;
    }

    // ---- session-level attributes

    /** Appends a session-level {@code a=<name>[:<value>]}. */
    public void addAttribute(String name, String value) {
        Attribute a = new Attribute(Objects.requireNonNull(name), value);
        try {
            Attributes.check(a);
        } catch (SdpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        lines.add(new Line('a', a.toSdpValue()));
    }

    /** Removes every session-level {@code a=<name>}; returns how many there were. */
    public int removeAttributes(String name) {
        int before = lines.size();
        lines.removeIf(l -> l.isAttribute() && l.attribute().name().equals(name));
        return before - lines.size();
    }

    /** Every session-level attribute, in order. */
    public List<Attribute> attributes() {
        List<Attribute> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.isAttribute()) {
                out.add(l.attribute());
            }
        }
        return out;
    }

    /** The values of every session-level {@code a=<name>}, in order. */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes()) {
            if (a.name().equals(name)) {
                out.add(a.value());
            }
        }
        return out;
    }

    /** The first session-level {@code a=<name>} value, or null. */
    public String attribute(String name) {
        List<String> v = attributes(name);
        return v.isEmpty() ? null : v.get(0);
    }

    public boolean hasAttribute(String name) {
        return !attributes(name).isEmpty();
    }

    /** Session-level attributes the model does not interpret, in order. */
    public List<Attribute> unmodeledAttributes() {
        return attributes().stream().filter(a -> !Attributes.SESSION_MODELED.contains(a.name())).toList();
    }

    /** The mids of {@code a=group:BUNDLE} (RFC 8843 §7.1), empty when there is none. */
    public List<String> bundleMids() {
        return group("BUNDLE");
    }

    /** The mids of the first {@code a=group:<semantics>} (RFC 5888 §5), empty when there is none. */
    public List<String> group(String semantics) {
        for (String g : attributes("group")) {
            String[] t = Attributes.words(g, 0);
            if (t[0].equals(semantics)) {
                return List.of(t).subList(1, t.length);
            }
        }
        return List.of();
    }

    /** Session-level ufrag, else the first m-line's (RFC 8839 §5.4), or null. */
    public String iceUfrag() {
        String v = sessionAttributeTrimmed("ice-ufrag");
        return v != null || media.isEmpty() ? v : media.get(0).iceUfrag();
    }

    /** Session-level ice-pwd, else the first m-line's, or null. */
    public String icePwd() {
        String v = sessionAttributeTrimmed("ice-pwd");
        return v != null || media.isEmpty() ? v : media.get(0).icePwd();
    }

    /** Session-level fingerprint, else the first m-line's, or null. */
    public Fingerprint fingerprint() {
        Fingerprint f = sessionFingerprint();
        return f != null || media.isEmpty() ? f : media.get(0).fingerprint();
    }

    /** Session-level setup, else the first m-line's, or null. */
    public Setup setup() {
        Setup s = sessionSetup();
        return s != null || media.isEmpty() ? s : media.get(0).setup();
    }

    /** {@code a=ice-lite} (RFC 8839 §5.3). */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /** The session-level {@code a=ice-options} tokens (RFC 8839 §5.6), e.g. {@code trickle}. */
    public List<String> iceOptions() {
        List<String> out = new ArrayList<>();
        for (String v : attributes("ice-options")) {
            if (v != null && !v.isBlank()) {
                out.addAll(List.of(Attributes.words(v, 0)));
            }
        }
        return out;
    }

    /** {@code a=extmap-allow-mixed} (RFC 8285 §6) at session level or in any m-line. */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed") || media.stream().anyMatch(m -> m.hasAttribute("extmap-allow-mixed"));
    }

    /** The {@code a=msid-semantic} value, trimmed (e.g. {@code WMS *}), or null. */
    public String msidSemantic() {
        return sessionAttributeTrimmed("msid-semantic");
    }

    String sessionAttributeTrimmed(String name) {
        String v = attribute(name);
        return v == null ? null : v.trim();
    }

    Fingerprint sessionFingerprint() {
        String v = attribute("fingerprint");
        return v == null ? null : quiet(() -> Fingerprint.parse(v));
    }

    Setup sessionSetup() {
        String v = attribute("setup");
        return v == null ? null : Setup.fromSdpName(v.trim());
    }

    Direction sessionDirection() {
        for (Attribute a : attributes()) {
            Direction d = Direction.fromSdpName(a.name());
            if (d != null && a.value() == null) {
                return d;
            }
        }
        return Direction.SENDRECV;
    }

    interface Parser<T> {
        T parse() throws SdpException;
    }

    /** Runs a parser on a line already checked on entry: it cannot fail, so no checked exception leaks out. */
    static <T> T quiet(Parser<T> p) {
        try {
            return p.parse();
        } catch (SdpException e) {
            throw new IllegalStateException("attribute passed the entry check but not its parser", e);
        }
    }
}
