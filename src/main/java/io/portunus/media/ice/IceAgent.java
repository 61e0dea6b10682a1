package io.portunus.media.ice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A sans-IO ICE agent (RFC 8445, trickle RFC 8838, consent RFC 7675) for one component over
 * UDP. It never opens sockets, starts threads or reads the clock: it is fed datagrams
 * ({@link #handleStun}) and the time, and hands back datagrams ({@link #pollTransmit}), events
 * ({@link #pollEvents}) and when it next wants to run ({@link #nextDeadlineMicros}).
 *
 * <p>Not thread-safe: drive each agent from one thread (or under one lock). A socket loop:
 * <pre>{@code
 * // on every datagram (RFC 7983: first byte 0-3 is STUN):
 * if (!agent.handleStun(buf, 0, len, from, localCandidateAddress, now)) { dtlsOrSrtp(buf, len); }
 * // then, and whenever the timer fires:
 * for (Transmit t : agent.pollTransmit(now)) socketBoundTo(t.from()).send(t.data(), t.to());
 * for (IceEvent e : agent.pollEvents()) { ... }   // SelectedPair -> start DTLS, media to remote
 * timer.schedule(agent.nextDeadlineMicros());      // Long.MAX_VALUE: nothing pending
 * }</pre>
 *
 * <p>Keys (RFC 8445 §7.2.2, RFC 5389 §15.4): checks we send are signed with the peer's ice-pwd
 * and so are their responses; checks we receive, and our responses to them, use our ice-pwd.
 *
 * <p>Failure timer (our choice, documented in {@link IceConfig}): with no working pair, the
 * agent goes FAILED {@code failureTimeoutMicros} (10 s) after {@link #start} once the remote
 * candidates are complete, or {@code hardFailureTimeoutMicros} (15 s) after it regardless; it
 * recovers to CONNECTED if a pair works later. Losing consent (RFC 7675) is final until
 * {@link #restart}.
 */
public final class IceAgent {
    static final int MAX_REMOTE_CANDIDATES = 64;
    private static final SecureRandom TRANSACTION_IDS = new SecureRandom();

    private final boolean lite;
    private final long tieBreaker;
    private final IceConfig config;
    /** Jitter for consent intervals; seeded from the (random) tie-breaker so tests are repeatable. */
    private final SplittableRandom jitter;

    private IceRole role;
    private String localUfrag;
    private String localPwd;
    private byte[] localKey;
    private String remoteUfrag;
    private byte[] remoteKey;

    private final List<IceCandidate> localCandidates = new ArrayList<>();
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private final List<String> remoteCandidateLines = new ArrayList<>();
    private final CheckList checkList = new CheckList();
    private final Map<String, Transaction> transactions = new LinkedHashMap<>();
    private final List<Transmit> outbox = new ArrayList<>();
    private final List<IceEvent> events = new ArrayList<>();

    private IceState state = IceState.DISCONNECTED;
    private boolean started;
    private boolean closed;
    private boolean remoteComplete;
    /** RFC 8445 §8.1.2: once a pair is nominated no ordinary checks are started any more. */
    private boolean completed;
    private long now;
    private long failureTimerBase;
    private long nextCheckAt;
    private long firstValidAt = -1;
    private IcePair nominating;
    private IcePair selected;
    /** The selected pair predates an ICE restart: any new pair replaces it. */
    private boolean selectedStale;
    private long lastConsentAt;
    private long nextConsentAt;
    private long nextKeepaliveAt;
    private boolean consentLost;
    private long gatheredAt = -1;
    private long connectedAt = -1;
    private long failedAt = -1;
    private int prflxCounter;
    /** Exceptions swallowed while handling datagrams (should stay 0; tests assert it). */
    int internalErrors;

    /** An outstanding Binding request of ours (RFC 5389 §7.2.1 client transaction). */
    private static final class Transaction {
        final String id;
        final byte[] data;
        final IcePair pair;
        final byte[] key;
        final boolean consent;
        final boolean useCandidate;
        final IceRole roleSent;
        int sent = 1;
        long rto;
        long nextAt;

        Transaction(String id, byte[] data, IcePair pair, byte[] key, boolean consent, boolean useCandidate, IceRole roleSent) {
            this.id = id;
            this.data = data;
            this.pair = pair;
            this.key = key;
            this.consent = consent;
            this.useCandidate = useCandidate;
            this.roleSent = roleSent;
        }
    }

    /**
     * @param role       initial role (RFC 8445 §6.1.1); a lite agent is always controlled
     * @param localUfrag our ice-ufrag, signalled in our SDP
     * @param localPwd   our ice-pwd: the key for checks we receive and answer (RFC 8445 §7.2.2)
     * @param lite       ice-lite: answer checks only (RFC 8445 §2.5)
     * @param tieBreaker random 64-bit number for role conflicts (RFC 8445 §7.1.1)
     */
    public IceAgent(IceRole role, String localUfrag, String localPwd, boolean lite, long tieBreaker, IceConfig config) {
        this.role = lite ? IceRole.CONTROLLED : Objects.requireNonNull(role, "role");
        this.lite = lite;
        this.tieBreaker = tieBreaker;
        this.config = config == null ? IceConfig.defaults() : config;
        this.jitter = new SplittableRandom(tieBreaker);
        setLocalCredentials(localUfrag, localPwd);
    }

    private void setLocalCredentials(String ufrag, String pwd) {
        this.localUfrag = Objects.requireNonNull(ufrag, "ufrag");
        this.localPwd = Objects.requireNonNull(pwd, "pwd");
        this.localKey = StunPacket.shortTermKey(pwd);
    }

    // ---------------------------------------------------------------------------------------
    // Signalling side
    // ---------------------------------------------------------------------------------------

    /**
     * The peer's ice-ufrag/ice-pwd. New values while old ones are known mean the peer restarted
     * ICE (RFC 8445 §9): its candidates and our check list are dropped (call {@link #restart}
     * too, since our answer must carry new credentials as well).
     */
    public void setRemoteCredentials(String ufrag, String pwd) {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (remoteKey != null && (!ufrag.equals(remoteUfrag) || !java.util.Arrays.equals(remoteKey, StunPacket.shortTermKey(pwd)))) {
            resetRemote();
        }
        remoteUfrag = ufrag;
        remoteKey = StunPacket.shortTermKey(pwd);
        lastConsentAt = Math.max(lastConsentAt, now); // consent restarts with the new credentials
    }

    /** A local host or server-reflexive (or relay) candidate; host/relay ones are paired. */
    public void addLocalCandidate(IceCandidate c) {
        if (closed || c == null || !c.isUdp() || !c.isResolved() || c.component() != 1 || findLocal(c.address()) != null) {
            return;
        }
        localCandidates.add(c);
        if (state == IceState.DISCONNECTED) {
            setState(IceState.GATHERING);
        }
        if (pairable(c)) {
            for (IceCandidate r : remoteCandidates) {
                checkList.add(c, r, role);
            }
        }
    }

    /** Gathering finished: sets {@code gathered} and {@code ready} in {@link #describe()}. */
    public void endOfLocalCandidates() {
        if (gatheredAt < 0) {
            gatheredAt = now;
        }
    }

    /**
     * A remote candidate (from the SDP or trickled, before or after {@link #start}). Ignored if
     * it is not UDP, is an unresolved mDNS name, or is for a component other than 1 (Janus
     * uses rtcp-mux and BUNDLE only). One we learnt as peer-reflexive is upgraded in place.
     */
    public void addRemoteCandidate(IceCandidate c) {
        addRemote(c, c == null ? null : "candidate:" + c.toSdpValue());
    }

    /** The same from an SDP line ("candidate:..." or "a=candidate:..."); false if unparsable. */
    public boolean addRemoteCandidate(String sdpLine) {
        IceCandidate c = IceCandidate.parse(sdpLine);
        if (c == null) {
            return false;
        }
        String line = sdpLine.trim();
        addRemote(c, line.startsWith("a=") ? line.substring(2) : line);
        return true;
    }

    private void addRemote(IceCandidate c, String line) {
        if (closed || c == null) {
            return;
        }
        remoteCandidateLines.add(line);
        if (!c.isUdp() || !c.isResolved() || c.component() != 1) {
            return;
        }
        IceCandidate known = findRemote(c.address());
        if (known != null) {
            if ("prflx".equals(known.type()) && !"prflx".equals(c.type())) {
                // RFC 8838 §11.4 / RFC 8445 §7.3.1.3: the signalled candidate replaces the
                // peer-reflexive one we learnt from its check; pairs keep their state.
                remoteCandidates.set(remoteCandidates.indexOf(known), c);
                checkList.replaceRemote(known, c, role);
            }
            return;
        }
        if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        remoteCandidates.add(c);
        for (IceCandidate l : localCandidates) {
            if (pairable(l)) {
                checkList.add(l, c, role);
            }
        }
    }

    /** The peer signalled end-of-candidates (RFC 8838 §8.2): enables the 10 s failure timer. */
    public void endOfRemoteCandidates() {
        remoteComplete = true;
    }

    /** Begin connectivity checks (a lite agent only answers). */
    public void start(long nowMicros) {
        tick(nowMicros);
        if (closed || started) {
            return;
        }
        started = true;
        failureTimerBase = now;
        nextCheckAt = now;
        if (gatheredAt < 0) {
            gatheredAt = now; // half-trickle: local candidates are in the SDP before checks start
        }
        if (!state.isConnected() && state != IceState.FAILED) {
            setState(IceState.CONNECTING);
        }
    }

    /**
     * ICE restart (RFC 8445 §9) with new local credentials: remote credentials, remote
     * candidates and the check list are dropped; the selected pair keeps carrying media until a
     * new pair is selected. Call {@link #setRemoteCredentials} and add remote candidates again.
     */
    public void restart(String newUfrag, String newPwd) {
        setLocalCredentials(newUfrag, newPwd);
        resetRemote();
        remoteKey = null;
        remoteUfrag = null;
        if (consentLost) {
            consentLost = false;
            selected = null;
        }
        if (started && !state.isConnected()) {
            setState(IceState.CONNECTING);
        }
    }

    private void resetRemote() {
        remoteCandidates.clear();
        remoteCandidateLines.clear();
        checkList.clear();
        transactions.clear();
        remoteComplete = false;
        completed = false;
        nominating = null;
        firstValidAt = -1;
        selectedStale = selected != null;
        failureTimerBase = now;
        lastConsentAt = now;
        failedAt = -1;
    }

    /** Stops everything: no more datagrams, deadlines or state changes. */
    public void close() {
        closed = true;
        transactions.clear();
        checkList.clearTriggered();
        outbox.clear();
        setState(IceState.DISCONNECTED);
    }

    // ---------------------------------------------------------------------------------------
    // I/O side
    // ---------------------------------------------------------------------------------------

    /**
     * A datagram that arrived on the local socket {@code local} from {@code from}. Returns true
     * if it was STUN (consumed, whether valid or not); false if it is something else (DTLS,
     * RTP, RTCP: RFC 7983 demultiplexing) for the caller to pass on. Never throws.
     *
     * @param local the local candidate's address the datagram arrived on (not a wildcard)
     */
    public boolean handleStun(byte[] packet, int offset, int length, InetSocketAddress from, InetSocketAddress local,
                              long nowMicros) {
        if (!StunPacket.looksLikeStun(packet, offset, length)) {
            return false;
        }
        try {
            tick(nowMicros);
            StunPacket msg = StunPacket.parse(packet, offset, length);
            if (msg == null || closed || from == null || local == null || from.isUnresolved()) {
                return true;
            }
            // RFC 8445 §7.2.2: checks and their responses carry FINGERPRINT. Missing or not
            // matching means it is not ICE STUN for us: drop silently (RFC 5389 §7.3). Requiring
            // it also means a flipped FINGERPRINT header cannot turn into an ignored attribute.
            if (!msg.fingerprintValid()) {
                return true;
            }
            if (msg.type() == StunPacket.BINDING_REQUEST) {
                onRequest(msg, from, local);
            } else if (msg.isResponse()) {
                onResponse(msg, from, local);
            }
            // Binding indications are keepalives (RFC 8445 §11): nothing to do.
        } catch (RuntimeException e) {
            internalErrors++; // never let a datagram break the caller's socket loop
        }
        return true;
    }

    /** Datagrams to send now; also runs any timer that is due (so handleTimeout is optional). */
    public List<Transmit> pollTransmit(long nowMicros) {
        handleTimeout(nowMicros);
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<Transmit> out = new ArrayList<>(outbox);
        outbox.clear();
        return out;
    }

    /** Events since the last call, oldest first. */
    public List<IceEvent> pollEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<IceEvent> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    /** Runs whatever is due at {@code nowMicros}: retransmissions, Ta pacing, consent, failure timers. */
    public void handleTimeout(long nowMicros) {
        tick(nowMicros);
        if (closed) {
            return;
        }
        retransmit();
        if (!lite && started && remoteKey != null && !consentLost && now >= nextCheckAt) {
            IcePair p = checkList.next(true, completed, nominating);
            if (p != null) {
                sendCheck(p, role == IceRole.CONTROLLING && p == nominating, false);
                nextCheckAt = now + config.taMicros(); // RFC 8445 §6.1.4.2: one new check per Ta
            }
        }
        if (!lite && role == IceRole.CONTROLLING && !completed && nominating == null && firstValidAt >= 0) {
            maybeNominate();
        }
        consent();
        failureTimer();
    }

    /** When to call {@link #handleTimeout}/{@link #pollTransmit} next; Long.MAX_VALUE if never. */
    public long nextDeadlineMicros() {
        if (closed) {
            return Long.MAX_VALUE;
        }
        if (!outbox.isEmpty()) {
            return now;
        }
        long d = Long.MAX_VALUE;
        for (Transaction t : transactions.values()) {
            d = Math.min(d, t.nextAt);
        }
        if (!lite && started && remoteKey != null && !consentLost && checkList.next(false, completed, nominating) != null) {
            d = Math.min(d, nextCheckAt);
        }
        if (!lite && role == IceRole.CONTROLLING && !completed && nominating == null && firstValidAt >= 0) {
            // Due now if a pair could be nominated now; else when the delay ends (if a valid
            // pair exists by then, the next handleStun/handleTimeout will see it).
            if (nominationCandidate() != null) {
                d = Math.min(d, now);
            } else if (now < firstValidAt + config.nominationDelayMicros()) {
                d = Math.min(d, firstValidAt + config.nominationDelayMicros());
            }
        }
        if (selected != null && state.isConnected() && !consentLost) {
            d = Math.min(d, lastConsentAt + config.consentTimeoutMicros());
            if (lite) {
                d = Math.min(d, nextKeepaliveAt);
            } else if (remoteKey != null) {
                d = Math.min(d, nextConsentAt);
            }
        }
        if (started && state != IceState.FAILED && !state.isConnected()) {
            d = Math.min(d, failureTimerBase
                    + (remoteComplete ? config.failureTimeoutMicros() : config.hardFailureTimeoutMicros()));
        }
        return d;
    }

    // ---------------------------------------------------------------------------------------
    // Incoming checks (RFC 8445 §7.3)
    // ---------------------------------------------------------------------------------------

    private void onRequest(StunPacket msg, InetSocketAddress from, InetSocketAddress local) {
        // RFC 5389 §10.1.2: no USERNAME or MESSAGE-INTEGRITY: 400; wrong ufrag or HMAC: 401.
        if (msg.username() == null || !msg.hasIntegrity()) {
            outbox.add(new Transmit(error(msg, 400, "Bad Request", null), local, from));
            return;
        }
        int colon = msg.username().indexOf(':');
        String target = colon < 0 ? msg.username() : msg.username().substring(0, colon);
        if (!target.equals(localUfrag) || !msg.integrityValid(localKey)) {
            outbox.add(new Transmit(error(msg, 401, "Unauthorized", null), local, from));
            return;
        }
        // RFC 8445 §7.3.1.1: role conflict. The larger tie-breaker ends up controlling.
        if (role == IceRole.CONTROLLING && msg.iceControlling() != null) {
            if (Long.compareUnsigned(tieBreaker, msg.iceControlling()) >= 0) {
                outbox.add(new Transmit(error(msg, 487, "Role Conflict", localKey), local, from));
                return;
            }
            switchRole(IceRole.CONTROLLED);
        } else if (role == IceRole.CONTROLLED && msg.iceControlled() != null && !lite) {
            if (Long.compareUnsigned(tieBreaker, msg.iceControlled()) >= 0) {
                switchRole(IceRole.CONTROLLING);
            } else {
                outbox.add(new Transmit(error(msg, 487, "Role Conflict", localKey), local, from));
                return;
            }
        }
        // RFC 8445 §7.3.1.2: success response, XOR-MAPPED-ADDRESS = source of the request,
        // integrity with our password (the one the request was signed with).
        byte[] response = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, msg.transactionId())
                .xorMappedAddress(from).build(localKey, true);
        outbox.add(new Transmit(response, local, from));

        IceCandidate localCandidate = findLocal(local);
        if (localCandidate == null || !pairable(localCandidate) || consentLost) {
            return; // answered, but not a socket we pair on (the caller passed another address)
        }
        IceCandidate remote = findRemote(from);
        if (remote == null) {
            // RFC 8445 §7.3.1.3: a peer-reflexive remote candidate, priority from PRIORITY.
            if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
                return;
            }
            long priority = msg.priority() >= 0 ? msg.priority() : IceCandidate.priority("prflx", 65535, 1);
            remote = new IceCandidate("prflx" + (++prflxCounter), 1, "udp", priority, from, "prflx", null);
            remoteCandidates.add(remote);
            events.add(new IceEvent.RemoteCandidate(remote));
        }
        IcePair pair = checkList.find(local, from);
        if (pair == null) {
            pair = checkList.add(localCandidate, remote, role);
            if (pair == null) {
                return; // check list full
            }
        }
        boolean useCandidate = msg.useCandidate() && role == IceRole.CONTROLLED;
        if (lite) {
            // RFC 8445 §7.3.1.5 / §2.5: a lite agent has no checks of its own; the pair is
            // valid once the controlling agent checks it, nominated with USE-CANDIDATE.
            pair.valid = true;
            pair.state = IcePair.State.SUCCEEDED;
            if (pair == selected) {
                lastConsentAt = now; // lite: consent is the peer's checks arriving
            }
            if (useCandidate) {
                nominate(pair);
            }
            return;
        }
        checkList.trigger(pair);
        if (useCandidate) {
            if (pair.valid) {
                nominate(pair);
            } else {
                pair.nominateOnSuccess = true;
            }
        }
    }

    private byte[] error(StunPacket req, int code, String reason, byte[] key) {
        return new StunPacket.Builder(StunPacket.BINDING_ERROR, req.transactionId())
                .errorCode(code, reason).build(key, true);
    }

    // ---------------------------------------------------------------------------------------
    // Responses to our checks (RFC 8445 §7.2.5)
    // ---------------------------------------------------------------------------------------

    private void onResponse(StunPacket msg, InetSocketAddress from, InetSocketAddress local) {
        Transaction t = transactions.get(HexFormat.of().formatHex(msg.transactionId()));
        // RFC 8445 §7.2.5: an unauthenticated response (no or wrong MESSAGE-INTEGRITY with the
        // peer's password) is discarded: the transaction keeps running.
        if (t == null || consentLost || !msg.integrityValid(t.key)) {
            return;
        }
        transactions.remove(t.id);
        IcePair pair = t.pair;
        boolean symmetric = from.equals(pair.remote().address()) && local.equals(pair.local().address());
        if (t.consent) {
            // RFC 7675 §5.1: an authenticated success from the pair's peer renews consent.
            if (symmetric && msg.type() == StunPacket.BINDING_SUCCESS && pair == selected) {
                lastConsentAt = now;
            }
            return;
        }
        boolean decides = t.id.equals(pair.activeTransaction);
        if (decides) {
            pair.activeTransaction = null;
        }
        if (msg.type() == StunPacket.BINDING_ERROR) {
            if (msg.errorCode() == 487) {
                // RFC 8445 §7.2.5.1: switch role if we still have the role we sent, then retry.
                if (role == t.roleSent) {
                    switchRole(role.opposite());
                }
                if (nominating == pair) {
                    nominating = null;
                }
                pair.state = pair.valid ? IcePair.State.SUCCEEDED : IcePair.State.WAITING;
                if (!pair.valid) {
                    checkList.trigger(pair);
                }
            } else if (decides) {
                pairFailed(pair);
            }
            return;
        }
        if (!symmetric) {
            // RFC 8445 §7.2.5.2.1: addresses not symmetric: the check failed.
            if (decides) {
                pairFailed(pair);
            }
            return;
        }
        learnLocalPeerReflexive(msg.mappedAddress(), pair);
        boolean wasValid = pair.valid;
        pair.state = IcePair.State.SUCCEEDED;
        pair.valid = true;
        if (firstValidAt < 0) {
            firstValidAt = now;
        }
        checkList.unfreeze(pair.foundation());
        if (pair == selected) {
            lastConsentAt = now;
        }
        if (t.useCandidate && role == IceRole.CONTROLLING) {
            nominating = null;
            nominate(pair); // RFC 8445 §7.2.5.3.4: nominated once the USE-CANDIDATE check succeeds
        } else if (role == IceRole.CONTROLLED && pair.nominateOnSuccess) {
            pair.nominateOnSuccess = false;
            nominate(pair);
        } else if (!wasValid) {
            pairValid(pair);
        }
    }

    /** RFC 8445 §7.2.5.3.1: a mapped address that is none of ours is a local prflx candidate. */
    private void learnLocalPeerReflexive(InetSocketAddress mapped, IcePair pair) {
        if (mapped == null || findLocal(mapped) != null) {
            return;
        }
        IceCandidate c = new IceCandidate(IceCandidate.foundation("prflx", pair.local().address().getAddress()), 1,
                "udp", prflxPriority(pair.local()), mapped, "prflx", pair.local().address());
        localCandidates.add(c);
        events.add(new IceEvent.LocalCandidate(c));
    }

    private void pairFailed(IcePair pair) {
        pair.state = IcePair.State.FAILED;
        pair.valid = false;
        pair.nominated = false;
        if (nominating == pair) {
            nominating = null;
        }
        if (pair == selected) {
            selected = null;
            IcePair best = checkList.bestValid();
            if (best != null) {
                select(best);
            } else {
                failureTimerBase = now;
                setState(IceState.CONNECTING);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Nomination and selection (RFC 8445 §8)
    // ---------------------------------------------------------------------------------------

    /** A pair became valid: media may use it until something is nominated. */
    private void pairValid(IcePair pair) {
        if (selected == null || selectedStale
                || (!selected.nominated && Long.compareUnsigned(pair.priority(), selected.priority()) > 0)) {
            select(pair);
        }
    }

    /**
     * Regular nomination by the controlling agent (RFC 8445 §8.1.1): once no pair with a higher
     * priority than the best valid one is still pending, or after nominationDelay, send a check
     * with USE-CANDIDATE on the best valid pair.
     */
    private void maybeNominate() {
        IcePair best = nominationCandidate();
        if (best == null) {
            return;
        }
        nominating = best;
        checkList.triggerFirst(best);
    }

    /** The pair {@link #maybeNominate} would nominate now, or null. */
    private IcePair nominationCandidate() {
        return checkList.nominationCandidate(now >= firstValidAt + config.nominationDelayMicros());
    }

    /**
     * A pair is nominated. The controlled agent selects the highest-priority nominated pair
     * (RFC 8445 §8.1.1); but since browsers re-nominate a lower-priority pair when the selected
     * one breaks, a lower nomination wins once the selected pair has not been re-nominated for
     * nominationHold.
     */
    private void nominate(IcePair pair) {
        long previous = selected == null ? Long.MIN_VALUE : selected.nominatedAt;
        pair.nominated = true;
        pair.nominatedAt = now;
        completed = true;
        if (selected == null || selectedStale || selected == pair || !selected.nominated
                || Long.compareUnsigned(pair.priority(), selected.priority()) > 0
                || now - previous >= config.nominationHoldMicros()) {
            select(pair);
        }
    }

    private void select(IcePair pair) {
        if (pair != selected) {
            boolean fresh = selected == null || selectedStale || consentLost;
            selected = pair;
            selectedStale = false;
            events.add(new IceEvent.SelectedPair(pair.local(), pair.remote()));
            if (connectedAt < 0) {
                connectedAt = now;
            }
            if (fresh) {
                lastConsentAt = now;
                nextConsentAt = now + consentInterval();
                nextKeepaliveAt = now + config.keepaliveMicros();
            }
        }
        setState(pair.nominated ? IceState.READY : IceState.CONNECTED);
    }

    private void switchRole(IceRole newRole) {
        role = newRole;
        nominating = null;
        checkList.recompute(role);
        events.add(new IceEvent.RoleChanged(role));
    }

    // ---------------------------------------------------------------------------------------
    // Sending checks
    // ---------------------------------------------------------------------------------------

    /** A Binding request on {@code pair} (RFC 8445 §7.2.2), signed with the peer's password. */
    private void sendCheck(IcePair pair, boolean useCandidate, boolean consent) {
        byte[] id = new byte[12];
        TRANSACTION_IDS.nextBytes(id);
        StunPacket.Builder b = new StunPacket.Builder(StunPacket.BINDING_REQUEST, id)
                .username(remoteUfrag + ":" + localUfrag)
                .priority(prflxPriority(pair.local()));
        if (role == IceRole.CONTROLLING) {
            b.iceControlling(tieBreaker);
            if (useCandidate) {
                b.useCandidate();
            }
        } else {
            b.iceControlled(tieBreaker);
        }
        byte[] data = b.build(remoteKey, true);
        Transaction t = new Transaction(HexFormat.of().formatHex(id), data, pair, remoteKey, consent, useCandidate, role);
        // RFC 8445 §14.3: RTO = MAX(500 ms, Ta * (Waiting + In-Progress)), doubling (RFC 5389 §7.2.1).
        long active = checkList.active();
        t.rto = Math.min(config.maxRtoMicros(), Math.max(config.minRtoMicros(), config.taMicros() * active));
        if (!consent) {
            // Consent checks (RFC 7675 §5.1) are retransmitted the same way, so that a lossy path
            // does not lose consent, but their timeout says nothing about the pair's state: only
            // 30 s without any response does.
            pair.state = IcePair.State.IN_PROGRESS;
            pair.activeTransaction = t.id;
        }
        t.nextAt = now + t.rto;
        transactions.put(t.id, t);
        outbox.add(new Transmit(data, pair.local().address(), pair.remote().address()));
    }

    private void retransmit() {
        for (Transaction t : new ArrayList<>(transactions.values())) {
            if (t.nextAt > now) {
                continue;
            }
            if (t.sent >= config.maxRequests()) {
                transactions.remove(t.id);
                if (!t.consent && t.id.equals(t.pair.activeTransaction)) {
                    t.pair.activeTransaction = null;
                    pairFailed(t.pair); // RFC 8445 §7.2.5.2.3 (timeout) → Failed
                }
                continue;
            }
            t.sent++;
            t.rto = Math.min(t.rto * 2, config.maxRtoMicros());
            t.nextAt = now + t.rto;
            outbox.add(new Transmit(t.data, t.pair.local().address(), t.pair.remote().address()));
        }
    }

    /** RFC 8445 §7.1.1: PRIORITY = the priority a prflx candidate from this base would have. */
    private static long prflxPriority(IceCandidate local) {
        return ((long) IceCandidate.TYPE_PREF_PRFLX << 24) | (local.priority() & 0x00FFFFFFL);
    }

    // ---------------------------------------------------------------------------------------
    // Consent (RFC 7675), keepalives (RFC 8445 §11), failure timer
    // ---------------------------------------------------------------------------------------

    private void consent() {
        if (selected == null || !state.isConnected() || consentLost) {
            return;
        }
        if (now >= lastConsentAt + config.consentTimeoutMicros()) {
            consentLost = true;
            // RFC 7675 §5.1: stop sending on the pair; only a restart brings it back.
            transactions.clear();
            checkList.clearTriggered();
            events.add(new IceEvent.ConsentLost());
            fail();
            return;
        }
        if (lite) {
            if (now >= nextKeepaliveAt) {
                byte[] id = new byte[12];
                TRANSACTION_IDS.nextBytes(id);
                byte[] ind = new StunPacket.Builder(StunPacket.BINDING_INDICATION, id).build(null, true);
                outbox.add(new Transmit(ind, selected.local().address(), selected.remote().address()));
                nextKeepaliveAt = now + config.keepaliveMicros();
            }
        } else if (remoteKey != null && now >= nextConsentAt) {
            sendCheck(selected, false, true);
            nextConsentAt = now + consentInterval();
        }
    }

    /** RFC 7675 §5.1: randomised interval (4-6 s by default) so checks don't synchronise. */
    private long consentInterval() {
        long span = config.consentMaxMicros() - config.consentMinMicros();
        return config.consentMinMicros() + (span > 0 ? jitter.nextLong(span + 1) : 0);
    }

    private void failureTimer() {
        if (!started || state == IceState.FAILED || state.isConnected()) {
            return;
        }
        long limit = remoteComplete ? config.failureTimeoutMicros() : config.hardFailureTimeoutMicros();
        if (now >= failureTimerBase + limit) {
            fail();
        }
    }

    private void fail() {
        failedAt = now;
        setState(IceState.FAILED);
    }

    // ---------------------------------------------------------------------------------------
    // Bookkeeping
    // ---------------------------------------------------------------------------------------

    private void tick(long nowMicros) {
        now = Math.max(now, nowMicros); // time never goes backwards for us
    }

    private void setState(IceState s) {
        if (s == IceState.READY && !state.isConnected()) {
            // A pair valid and nominated at once (the peer's USE-CANDIDATE check came first) still
            // passes through "connected", as Janus reports every ICE connection: gathering,
            // connecting, connected, ready.
            setState(IceState.CONNECTED);
        }
        if (s != state) {
            state = s;
            events.add(new IceEvent.StateChanged(s));
        }
    }

    /** Host and relay candidates are sent from; srflx/prflx share their base's socket (RFC 8445 §6.1.2.4). */
    private static boolean pairable(IceCandidate c) {
        return "host".equals(c.type()) || "relay".equals(c.type());
    }

    private IceCandidate findLocal(InetSocketAddress a) {
        for (IceCandidate c : localCandidates) {
            if (c.address().equals(a)) {
                return c;
            }
        }
        return null;
    }

    private IceCandidate findRemote(InetSocketAddress a) {
        for (IceCandidate c : remoteCandidates) {
            if (c.address().equals(a)) {
                return c;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // Read side
    // ---------------------------------------------------------------------------------------

    public IceState state() {
        return state;
    }

    /** The pair media uses ({@code remote().address()} is where it goes), or null. */
    public IcePair selectedPair() {
        return selected;
    }

    public IceRole role() {
        return role;
    }

    public boolean isLite() {
        return lite;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    public List<IceCandidate> localCandidates() {
        return List.copyOf(localCandidates);
    }

    public List<IceCandidate> remoteCandidates() {
        return List.copyOf(remoteCandidates);
    }

    /** The check list, highest priority first. */
    public List<IcePair> pairs() {
        return List.copyOf(checkList.pairs());
    }

    /**
     * The {@code webrtc.ice} object of Janus's handle_info (admin-api.md §4.1). Times are the
     * {@code nowMicros} values this agent was given (the caller's monotonic clock).
     */
    public ObjectNode describe() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("stream_id", config.streamId());
        n.put("component_id", 1);
        n.put("state", state.janusName());
        if (failedAt >= 0) {
            n.put("failed-detected", failedAt);
            n.put("icetimer-started", state == IceState.FAILED);
        }
        if (gatheredAt >= 0) {
            n.put("gathered", gatheredAt);
        }
        if (connectedAt >= 0) {
            n.put("connected", connectedAt);
        }
        if (!localCandidates.isEmpty()) {
            ArrayNode a = n.putArray("local-candidates");
            localCandidates.forEach(c -> a.add(c.toSdpValue()));
        }
        if (!remoteCandidateLines.isEmpty()) {
            ArrayNode a = n.putArray("remote-candidates");
            remoteCandidateLines.forEach(a::add);
        }
        if (selected != null) {
            n.put("selected-pair", selected.toString());
        }
        n.put("ready", gatheredAt >= 0 ? 1 : 0);
        return n;
    }
}
