package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One media description: the {@code m=} line (RFC 8866 §5.14) and the lines after it up to the
 * next {@code m=}.
 *
 * <p>The lines are the source of truth: they are kept in the order read and written back as they
 * were, so a parsed SDP round-trips. The typed accessors (codecs, extmaps, ssrcs, candidates ...)
 * read them; attributes the model does not interpret are returned by
 * {@link #unmodeledAttributes()}. Attributes the model interprets are syntax-checked when they
 * enter the section, so the accessors never throw. Transport attributes ({@code ice-ufrag},
 * {@code fingerprint}, {@code setup}, direction) fall back to the session level, as RFC 8866 §6
 * and RFC 8839 §5.4 allow them there.
 *
 * <p>Not thread-safe while being modified. Once no one modifies it, any number of threads may
 * read it: the lazily built caches are immutable wrappers whose final fields make them safe to
 * publish through a race.
 */
public final class MediaSection {
    private String type;
    private int port;
    private int portCount; // the "/<n>" of RFC 8866 §5.14, 0 when absent
    private String protocol;
    private List<String> formats;
    private final List<Line> lines = new ArrayList<>();
    // The a= lines parsed once, and the maps read most; all dropped on every change.
    private List<Attribute> attributeCache;
    private Map<Integer, Codec> rtpmapCache;
    private Map<Integer, String> fmtpCache;
    private Map<String, List<String>> rtcpFbCache;
    Sdp parent; // for the session-level fallback; set by Sdp.addMedia

    /** A section with only its {@code m=} line, e.g. {@code ("audio", 9, "UDP/TLS/RTP/SAVPF", ["111"])}. */
    public MediaSection(String type, int port, String protocol, List<String> formats) {
        this.type = Objects.requireNonNull(type);
        setPort(port);
        this.protocol = Objects.requireNonNull(protocol);
        this.formats = List.copyOf(formats);
    }

    /** Parses an {@code m=} line's value. */
    static MediaSection parseMLine(String value) throws SdpException {
        String error = "Invalid m= line: m=" + value;
        String[] t = Attributes.words(value, 0);
        if (t.length < 4 || t[0].isEmpty() || t[2].isEmpty()) {
            throw new SdpException(error);
        }
        String portText = t[1];
        int count = 0;
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            count = Attributes.parseInt(portText.substring(slash + 1), 1, 65535, error);
            portText = portText.substring(0, slash);
        }
        MediaSection m = new MediaSection(t[0], Attributes.parseInt(portText, 0, 65535, error), t[2],
                List.of(t).subList(3, t.length));
        m.portCount = count;
        return m;
    }

    // ---- the m= line

    /** {@code audio}, {@code video}, {@code application} ... */
    public String type() {
        return type;
    }

    public int port() {
        return port;
    }

    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        this.port = port;
    }

    /** The number of ports after a slash in the m= line, 0 when absent. */
    public int portCount() {
        return portCount;
    }

    /** {@code UDP/TLS/RTP/SAVPF}, {@code UDP/DTLS/SCTP} ... */
    public String protocol() {
        return protocol;
    }

    /** The formats (payload types for RTP) in the m= line's order, the offerer's preference (RFC 3264 §5.1). */
    public List<String> formats() {
        return formats;
    }

    public void setFormats(List<String> formats) {
        this.formats = List.copyOf(formats);
    }

    /** Whether the section is an RTP one (its protocol ends in {@code RTP/AVP}, {@code RTP/SAVPF} ...). */
    public boolean isRtp() {
        return protocol.contains("RTP/");
    }

    /**
     * Whether the section is rejected or disabled: port 0 without {@code a=bundle-only}
     * (RFC 3264 §6, RFC 8843 §6: a bundle-only section has port 0 but is not rejected).
     */
    public boolean isRejected() {
        return port == 0 && !hasAttribute("bundle-only");
    }

    // ---- generic lines and attributes

    /** Adds a non-attribute line ({@code c}, {@code b}, {@code i}, {@code k}) where RFC 8866 §5 orders it. */
    public void addLine(char lineType, String value) {
        if (lineType == 'a' || lineType == 'm') {
            throw new IllegalArgumentException("use addAttribute / a new MediaSection");
        }
        Line.insertOrdered(lines, new Line(lineType, Objects.requireNonNull(value)), true);
        invalidate();
    }

    /** The value of the first line of a type ({@code c}, {@code b} ...), or null. */
    public String line(char lineType) {
        for (Line l : lines) {
            if (l.type() == lineType) {
                return l.value();
            }
        }
        return null;
    }

    /** Appends a line as read; parse order is kept. */
    void appendParsed(Line line) throws SdpException {
        if (line.isAttribute()) {
            Attributes.check(line.attribute());
        }
        lines.add(line);
        invalidate();
    }

    /** Appends {@code a=<name>[:<value>]} after the other attributes. */
    public void addAttribute(String name, String value) {
        Attribute a = new Attribute(Objects.requireNonNull(name), value);
        try {
            Attributes.check(a);
        } catch (SdpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        lines.add(new Line('a', a.toSdpValue()));
        invalidate();
    }

    /** Removes every {@code a=<name>}; returns how many there were. */
    public int removeAttributes(String name) {
        int before = lines.size();
        lines.removeIf(l -> l.isAttribute() && l.attribute().name().equals(name));
        invalidate();
        return before - lines.size();
    }

    private void invalidate() {
        attributeCache = null;
        rtpmapCache = null;
        fmtpCache = null;
        rtcpFbCache = null;
    }

    /** Every attribute, in order (unmodifiable). */
    public List<Attribute> attributes() {
        List<Attribute> cached = attributeCache;
        if (cached == null) {
            List<Attribute> out = new ArrayList<>();
            for (Line l : lines) {
                if (l.isAttribute()) {
                    out.add(l.attribute());
                }
            }
            cached = Collections.unmodifiableList(out);
            attributeCache = cached;
        }
        return cached;
    }

    /** The values of every {@code a=<name>} in order (null for a property attribute). */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes()) {
            if (a.name().equals(name)) {
                out.add(a.value());
            }
        }
        return out;
    }

    /** The value of the first {@code a=<name>}, or null (also null for a property attribute). */
    public String attribute(String name) {
        List<String> values = attributes(name);
        return values.isEmpty() ? null : values.get(0);
    }

    public boolean hasAttribute(String name) {
        return !attributes(name).isEmpty();
    }

    /** Attributes the model does not interpret ({@code rtcp}, {@code rtcp-rsize}, {@code sctp-port} ...), in order. */
    public List<Attribute> unmodeledAttributes() {
        return attributes().stream().filter(a -> !Attributes.MEDIA_MODELED.contains(a.name())).toList();
    }

    // ---- transport

    /** The address of the section's {@code c=} line, else the session's, else null. */
    public String connectionAddress() {
        String c = line('c');
        if (c == null) {
            return parent == null ? null : parent.connectionAddress();
        }
        String[] t = Attributes.words(c, 0);
        return t.length >= 3 ? Attributes.beforeSlash(t[2]) : null;
    }

    /** {@code a=mid} (RFC 8843 §4 / RFC 5888), or null. */
    public String mid() {
        String mid = attribute("mid");
        return mid == null ? null : mid.trim();
    }

    /** The section's direction, else the session's, else {@code sendrecv} (RFC 8866 §6.7). */
    public Direction direction() {
        Direction own = ownDirection();
        if (own != null) {
            return own;
        }
        return parent == null ? Direction.SENDRECV : parent.sessionDirection();
    }

    private Direction ownDirection() {
        for (Attribute a : attributes()) {
            Direction d = Direction.fromSdpName(a.name());
            if (d != null && a.value() == null) {
                return d;
            }
        }
        return null;
    }

    /** Replaces the section's direction attribute in place (or appends one). */
    public void setDirection(Direction direction) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.isAttribute() && Direction.fromSdpName(l.value()) != null) {
                lines.set(i, new Line('a', direction.sdpName()));
                invalidate();
                return;
            }
        }
        addAttribute(direction.sdpName(), null);
    }

    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /** {@code a=ice-ufrag} of the section, else of the session (RFC 8839 §5.4), or null. */
    public String iceUfrag() {
        String v = attribute("ice-ufrag");
        return v != null ? v.trim() : parent == null ? null : parent.sessionAttributeTrimmed("ice-ufrag");
    }

    public String icePwd() {
        String v = attribute("ice-pwd");
        return v != null ? v.trim() : parent == null ? null : parent.sessionAttributeTrimmed("ice-pwd");
    }

    /** {@code a=fingerprint} of the section, else of the session (RFC 8122 §5), or null. */
    public Fingerprint fingerprint() {
        Fingerprint own = ownFingerprint();
        return own != null ? own : parent == null ? null : parent.sessionFingerprint();
    }

    Fingerprint ownFingerprint() {
        String v = attribute("fingerprint");
        return v == null ? null : Sdp.quiet(() -> Fingerprint.parse(v));
    }

    /** {@code a=setup} of the section, else of the session, or null. */
    public Setup setup() {
        Setup own = ownSetup();
        return own != null ? own : parent == null ? null : parent.sessionSetup();
    }

    Setup ownSetup() {
        String v = attribute("setup");
        return v == null ? null : Setup.fromSdpName(v.trim());
    }

    /** The candidates of this section, in order (RFC 8839 §5.1). */
    public List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        for (String v : attributes("candidate")) {
            Candidate c = Sdp.quiet(() -> Candidate.parse(v));
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** {@code a=end-of-candidates} (RFC 8840 §4.1). */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    // ---- RTP

    /** payload type → codec from {@code a=rtpmap}, in order of appearance. */
    public Map<Integer, Codec> rtpmaps() {
        if (rtpmapCache != null) {
            return rtpmapCache;
        }
        Map<Integer, Codec> out = new LinkedHashMap<>();
        for (String v : attributes("rtpmap")) {
            String[] p = Attributes.words(v, 2);
            Codec c = Sdp.quiet(() -> Codec.parse(p[1].trim()));
            out.putIfAbsent(Integer.parseInt(p[0]), c); // checked on entry
        }
        rtpmapCache = Collections.unmodifiableMap(out);
        return rtpmapCache;
    }

    /** The codec of a payload type, or null. */
    public Codec codec(int pt) {
        return rtpmaps().get(pt);
    }

    /** payload type → format parameters from {@code a=fmtp} (RFC 8866 §6.15). */
    public Map<Integer, String> fmtp() {
        if (fmtpCache != null) {
            return fmtpCache;
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String v : attributes("fmtp")) {
            String[] p = Attributes.words(v, 2);
            out.putIfAbsent(Integer.parseInt(p[0]), p.length > 1 ? p[1].trim() : "");
        }
        fmtpCache = Collections.unmodifiableMap(out);
        return fmtpCache;
    }

    /** The format parameters of a payload type, or null. */
    public String fmtp(int pt) {
        return fmtp().get(pt);
    }

    /** payload type (or {@code *}) → feedback types from {@code a=rtcp-fb} (RFC 4585 §4.2), in order. */
    public Map<String, List<String>> rtcpFb() {
        if (rtcpFbCache != null) {
            return rtcpFbCache;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String v : attributes("rtcp-fb")) {
            String[] p = Attributes.words(v, 2);
            out.computeIfAbsent(p[0], k -> new ArrayList<>()).add(String.join(" ", Attributes.words(p[1], 0)));
        }
        out.replaceAll((k, l) -> List.copyOf(l));
        rtcpFbCache = Collections.unmodifiableMap(out);
        return rtcpFbCache;
    }

    /** The feedback types that apply to a payload type: its own, then the {@code *} ones. */
    public List<String> rtcpFb(int pt) {
        Map<String, List<String>> all = rtcpFb();
        List<String> out = new ArrayList<>(all.getOrDefault(Integer.toString(pt), List.of()));
        for (String fb : all.getOrDefault("*", List.of())) {
            if (!out.contains(fb)) {
                out.add(fb);
            }
        }
        return out;
    }

    /** The first payload type, in m-line order, whose rtpmap names this codec (case-insensitive), or -1. */
    public int payloadTypeFor(String codecName) {
        Map<Integer, Codec> maps = rtpmaps();
        for (String f : formats) {
            Codec c = maps.get(parsePt(f));
            if (c != null && c.is(codecName)) {
                return parsePt(f);
            }
        }
        return -1;
    }

    /** The RFC 4588 {@code rtx} payload type whose {@code apt} is {@code pt}, or -1. */
    public int rtxPayloadTypeFor(int pt) {
        Map<Integer, String> params = fmtp();
        for (Map.Entry<Integer, Codec> e : rtpmaps().entrySet()) {
            if (e.getValue().is("rtx") && Integer.toString(pt).equals(fmtpParam(params.get(e.getKey()), "apt"))) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** One {@code key=value} of an fmtp string ({@code a=b;c=d}), or null. */
    public static String fmtpParam(String fmtp, String key) {
        if (fmtp == null) {
            return null;
        }
        for (String kv : fmtp.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).trim().equalsIgnoreCase(key)) {
                return kv.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static int parsePt(String format) {
        try {
            return format.length() <= 3 ? Integer.parseInt(format) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code a=extmap} lines in order (RFC 8285 §8). */
    public List<Extmap> extmaps() {
        List<Extmap> out = new ArrayList<>();
        for (String v : attributes("extmap")) {
            out.add(Sdp.quiet(() -> Extmap.parse(v)));
        }
        return out;
    }

    /** The id this section maps an extension URI to, or -1. */
    public int extmapId(String uri) {
        for (Extmap e : extmaps()) {
            if (e.uri().equals(uri)) {
                return e.id();
            }
        }
        return -1;
    }

    /** ssrc → its source attributes ({@code cname}, {@code msid} ...) from {@code a=ssrc} (RFC 5576 §4.1). */
    public Map<Long, Map<String, String>> ssrcs() {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        for (String v : attributes("ssrc")) {
            String[] p = Attributes.words(v, 2);
            Map<String, String> attrs = out.computeIfAbsent(Long.parseLong(p[0]), k -> new LinkedHashMap<>());
            Attribute a = Attribute.parse(p[1].trim());
            attrs.putIfAbsent(a.name(), a.value() == null ? "" : a.value());
        }
        out.replaceAll((k, m) -> Collections.unmodifiableMap(m));
        return Collections.unmodifiableMap(out);
    }

    /** {@code a=ssrc-group} lines in order (RFC 5576 §4.2). */
    public List<SsrcGroup> ssrcGroups() {
        List<SsrcGroup> out = new ArrayList<>();
        for (String v : attributes("ssrc-group")) {
            out.add(Sdp.quiet(() -> SsrcGroup.parse(v)));
        }
        return out;
    }

    /**
     * The first SSRC the peer announces that is not the repair half of an FID or FEC-FR group:
     * the stream the peer sends here (the first simulcast layer with a SIM group). -1 if none.
     */
    public long mainSsrc() {
        List<Long> repairs = new ArrayList<>();
        for (SsrcGroup g : ssrcGroups()) {
            if ((g.semantics().equals("FID") || g.semantics().equals("FEC-FR")) && g.ssrcs().size() > 1) {
                repairs.addAll(g.ssrcs().subList(1, g.ssrcs().size()));
            }
        }
        for (SsrcGroup g : ssrcGroups()) {
            if (g.semantics().equals("SIM") && !g.ssrcs().isEmpty()) {
                return g.ssrcs().get(0);
            }
        }
        for (long ssrc : ssrcs().keySet()) {
            if (!repairs.contains(ssrc)) {
                return ssrc;
            }
        }
        return -1;
    }

    /** The RFC 4588 retransmission SSRC paired with {@code ssrc} by {@code a=ssrc-group:FID}, or -1. */
    public long rtxSsrcFor(long ssrc) {
        for (SsrcGroup g : ssrcGroups()) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2 && g.ssrcs().get(0) == ssrc) {
                return g.ssrcs().get(1);
            }
        }
        return -1;
    }

    /** The SSRCs of a legacy {@code a=ssrc-group:SIM} (Chrome's SDP munging simulcast), or empty. */
    public List<Long> simulcastSsrcs() {
        for (SsrcGroup g : ssrcGroups()) {
            if (g.semantics().equals("SIM")) {
                return g.ssrcs();
            }
        }
        return List.of();
    }

    /** The {@code a=msid} value ({@code <stream id> <track id>}, RFC 8830 §2), or null. */
    public String msid() {
        String v = attribute("msid");
        return v == null ? null : v.trim();
    }

    /** {@code a=rid} lines in order (RFC 8851). */
    public List<Rid> rids() {
        List<Rid> out = new ArrayList<>();
        for (String v : attributes("rid")) {
            out.add(Sdp.quiet(() -> Rid.parse(v)));
        }
        return out;
    }

    /** {@code a=simulcast} (RFC 8853), or null. */
    public Simulcast simulcast() {
        String v = attribute("simulcast");
        return v == null ? null : Sdp.quiet(() -> Simulcast.parse(v));
    }

    void write(StringBuilder sb) {
        sb.append("m=").append(type).append(' ').append(port);
        if (portCount > 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(protocol);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        for (Line l : lines) {
            sb.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        write(sb);
        return sb.toString();
    }
}
