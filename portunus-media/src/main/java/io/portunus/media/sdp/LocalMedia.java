package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Portunus's side of a PeerConnection puts in an answer: ICE credentials, DTLS fingerprint
 * and role, local candidates, and the SSRCs it will send with on each m-line. Built with
 * {@link #builder()}.
 *
 * @param iceUfrag          local ICE username fragment (RFC 8839 §5.4)
 * @param icePwd            local ICE password
 * @param fingerprint       SHA-256 fingerprint of the DTLS certificate, uppercase hex with colons
 * @param setup             DTLS role to answer with, {@link Setup#ACTIVE} or {@link Setup#PASSIVE};
 *                          null derives it from the offer as Janus does ({@link EchoAnswer#dtlsRoleFor})
 * @param candidates        local candidates, written on every accepted m-line (half trickle); may be empty
 * @param endOfCandidates   whether to write {@code a=end-of-candidates} (RFC 8840 §4.1)
 * @param ssrcs             mid → the SSRCs Portunus sends with on that m-line; a missing mid means no
 *                          {@code a=ssrc} lines there
 * @param cname             RTCP CNAME, {@code janus} as Janus
 * @param msidStream        the msid stream id; the track id is this plus the m-line index ({@code janus janus0})
 * @param connectionAddress the address for {@code o=} and {@code c=} (IPv4, or IPv6 written as {@code IP6})
 * @param sessionId         {@code o=} session id; null copies the offer's, as Janus 1.1.2 does
 * @param sessionVersion    {@code o=} session version; null copies the offer's
 * @param iceLite           whether to write {@code a=ice-lite} (Janus's {@code nat.ice_lite})
 */
public record LocalMedia(String iceUfrag, String icePwd, String fingerprint, Setup setup, List<Candidate> candidates,
                         boolean endOfCandidates, Map<String, Ssrcs> ssrcs, String cname, String msidStream,
                         String connectionAddress, Long sessionId, Long sessionVersion, boolean iceLite) {

    /**
     * The SSRCs sent on one m-line: {@code ssrc} for the media, {@code rtx} for RFC 4588
     * retransmissions (video; 0 or negative when none).
     */
    public record Ssrcs(long ssrc, long rtx) {
        public static Ssrcs of(long ssrc) {
            return new Ssrcs(ssrc, -1);
        }
    }

    public LocalMedia {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(connectionAddress, "connectionAddress");
        if (setup == Setup.ACTPASS || setup == Setup.HOLDCONN) {
            throw new IllegalArgumentException("an answer's setup is active or passive, not " + setup);
        }
        candidates = List.copyOf(candidates == null ? List.of() : candidates);
        ssrcs = Map.copyOf(ssrcs == null ? Map.of() : ssrcs);
        cname = cname == null ? "janus" : cname;
        msidStream = msidStream == null ? "janus" : msidStream;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; ufrag, pwd, fingerprint and connection address are required. */
    public static final class Builder {
        private String ufrag;
        private String pwd;
        private String fingerprint;
        private Setup setup = Setup.ACTIVE;
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private final Map<String, Ssrcs> ssrcs = new LinkedHashMap<>();
        private String cname = "janus";
        private String msidStream = "janus";
        private String address;
        private Long sessionId;
        private Long sessionVersion;
        private boolean iceLite;

        public Builder ice(String ufrag, String pwd) {
            this.ufrag = ufrag;
            this.pwd = pwd;
            return this;
        }

        /** The SHA-256 fingerprint value ({@code 76:12:B7:...}). */
        public Builder fingerprint(String sha256) {
            this.fingerprint = sha256;
            return this;
        }

        /** ACTIVE (the default, as Janus answering {@code actpass}), PASSIVE, or null to derive from the offer. */
        public Builder setup(Setup setup) {
            this.setup = setup;
            return this;
        }

        public Builder candidate(Candidate c) {
            candidates.add(c);
            return this;
        }

        public Builder candidates(List<Candidate> list) {
            candidates.addAll(list);
            return this;
        }

        public Builder endOfCandidates(boolean end) {
            this.endOfCandidates = end;
            return this;
        }

        /** The SSRC Portunus sends with on m-line {@code mid}, and its rtx SSRC (-1 when none). */
        public Builder ssrc(String mid, long ssrc, long rtx) {
            ssrcs.put(mid, new Ssrcs(ssrc, rtx));
            return this;
        }

        public Builder cname(String cname) {
            this.cname = cname;
            return this;
        }

        public Builder msidStream(String stream) {
            this.msidStream = stream;
            return this;
        }

        public Builder connectionAddress(String address) {
            this.address = address;
            return this;
        }

        /** {@code o=} id and version; without this call the offer's are copied. */
        public Builder session(long id, long version) {
            this.sessionId = id;
            this.sessionVersion = version;
            return this;
        }

        public Builder iceLite(boolean lite) {
            this.iceLite = lite;
            return this;
        }

        public LocalMedia build() {
            return new LocalMedia(ufrag, pwd, fingerprint, setup, candidates, endOfCandidates, ssrcs, cname,
                    msidStream, address, sessionId, sessionVersion, iceLite);
        }
    }
}
