package io.portunus.media.ice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

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
 *
 * <p>This class is the public face and the lifecycle (start, restart, close); the work is done
 * by its parts, all in this package and all sans-IO: {@link IceCredentials},
 * {@link CandidateLists} and {@link CheckList} (what to check), {@link OutgoingChecks},
 * {@link IncomingChecks} and {@link CheckResponses} (the STUN exchanges), {@link AgentRole},
 * {@link PairSelection} (nomination), {@link ConsentFreshness} and {@link IceStateMachine}
 * (state and failure timer). They report through one {@link AgentOutbox}.
 */
public final class IceAgent {
    private final boolean lite;
    private final IceConfig config;

    private final AgentOutbox outbox = new AgentOutbox();
    private final IceCredentials credentials;
    private final CheckList checkList = new CheckList();
    private final CandidateLists candidates = new CandidateLists(checkList);
    private final IceStateMachine states;
    private final OutgoingChecks checks;
    private final ConsentFreshness consent;
    private final PairSelection selection;
    private final AgentRole role;
    private final IncomingChecks incoming;
    private final CheckResponses responses;

    private boolean started;
    private boolean closed;
    private long now;
    private long gatheredAt = -1;
    /** Exceptions swallowed while handling datagrams (should stay 0; tests assert it). */
    int internalErrors;

    /**
     * @param role       initial role (RFC 8445 §6.1.1); a lite agent is always controlled
     * @param localUfrag our ice-ufrag, signalled in our SDP
     * @param localPwd   our ice-pwd: the key for checks we receive and answer (RFC 8445 §7.2.2)
     * @param lite       ice-lite: answer checks only (RFC 8445 §2.5)
     * @param tieBreaker random 64-bit number for role conflicts (RFC 8445 §7.1.1)
     */
    public IceAgent(IceRole role, String localUfrag, String localPwd, boolean lite, long tieBreaker, IceConfig config) {
        IceRole initialRole = lite ? IceRole.CONTROLLED : Objects.requireNonNull(role, "role");
        this.lite = lite;
        this.config = config == null ? IceConfig.defaults() : config;
        this.credentials = new IceCredentials(localUfrag, localPwd);
        // Wired in dependency order: each part only knows the parts constructed before it.
        this.states = new IceStateMachine(this.config, outbox);
        this.checks = new OutgoingChecks(this.config, tieBreaker, credentials, checkList, outbox);
        this.consent = new ConsentFreshness(this.config, lite, tieBreaker, credentials, checks, checkList, states, outbox);
        this.selection = new PairSelection(this.config, checkList, states, consent, outbox);
        this.role = new AgentRole(initialRole, lite, tieBreaker, checkList, selection, outbox);
        this.incoming = new IncomingChecks(lite, credentials, this.role, candidates, checkList, selection, consent, outbox);
        this.responses = new CheckResponses(checks, this.role, candidates, checkList, selection, consent, outbox);
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
        if (credentials.remoteDiffers(ufrag, pwd)) {
            resetRemote();
        }
        credentials.setRemote(ufrag, pwd);
        consent.restartWithNewCredentials(now);
    }

    /** A local host or server-reflexive (or relay) candidate; host/relay ones are paired. */
    public void addLocalCandidate(IceCandidate c) {
        if (closed || c == null || !candidates.addLocal(c, role.current())) {
            return;
        }
        if (states.state() == IceState.DISCONNECTED) {
            states.set(IceState.GATHERING);
        }
    }

    /** Gathering finished: sets {@code gathered} and {@code ready} in {@link #describe()}. */
    public void endOfLocalCandidates() {
        if (gatheredAt < 0) {
            gatheredAt = now;
        }
    }

    /**
     * Gathering finished at {@code nowMicros} (the caller's monotonic clock): {@code gathered}
     * in {@link #describe()} is that time even before {@link #start} gave the agent a clock.
     */
    public void endOfLocalCandidates(long nowMicros) {
        now = Math.max(now, nowMicros);
        endOfLocalCandidates();
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
        candidates.addRemote(c, line, role.current());
    }

    /** The peer signalled end-of-candidates (RFC 8838 §8.2): enables the 10 s failure timer. */
    public void endOfRemoteCandidates() {
        states.remoteCandidatesComplete();
    }

    /** Begin connectivity checks (a lite agent only answers). */
    public void start(long nowMicros) {
        tick(nowMicros);
        if (closed || started) {
            return;
        }
        started = true;
        states.restartFailureTimer(now);
        checks.start(now);
        if (gatheredAt < 0) {
            gatheredAt = now; // half-trickle: local candidates are in the SDP before checks start
        }
        if (!states.state().isConnected() && states.state() != IceState.FAILED) {
            states.set(IceState.CONNECTING);
        }
    }

    /**
     * ICE restart (RFC 8445 §9) with new local credentials: remote credentials, remote
     * candidates and the check list are dropped; the selected pair keeps carrying media until a
     * new pair is selected. Call {@link #setRemoteCredentials} and add remote candidates again.
     */
    public void restart(String newUfrag, String newPwd) {
        credentials.setLocal(newUfrag, newPwd);
        resetRemote();
        credentials.forgetRemote();
        if (consent.lost()) {
            consent.clearLoss();
            selection.dropSelected();
        }
        if (started && !states.state().isConnected()) {
            states.set(IceState.CONNECTING);
        }
    }

    /** Forgets the peer's ICE generation: its candidates, our pairs and checks, the timers on them. */
    private void resetRemote() {
        candidates.clearRemote();
        checkList.clear();
        checks.clear();
        states.startNewGeneration(now);
        selection.startNewGeneration();
        consent.confirmed(now);
    }

    /** Stops everything: no more datagrams, deadlines or state changes. */
    public void close() {
        closed = true;
        checks.clear();
        checkList.clearTriggered();
        outbox.dropTransmits();
        states.set(IceState.DISCONNECTED);
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
                incoming.onRequest(msg, from, local, now);
            } else if (msg.isResponse()) {
                responses.onResponse(msg, from, local, now);
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
        return outbox.takeTransmits();
    }

    /** Events since the last call, oldest first. */
    public List<IceEvent> pollEvents() {
        return outbox.takeEvents();
    }

    /** Runs whatever is due at {@code nowMicros}: retransmissions, Ta pacing, consent, failure timers. */
    public void handleTimeout(long nowMicros) {
        tick(nowMicros);
        if (closed) {
            return;
        }
        checks.retransmit(now, pair -> selection.pairFailed(pair, now));
        if (checking()) {
            checks.sendNextIfDue(role.current(), selection.completed(), selection.nominating(), now);
        }
        if (nominates()) {
            selection.nominateIfDue(now);
        }
        consent.run(selection.selected(), role.current(), now);
        if (started) {
            states.checkFailureTimer(now);
        }
    }

    /** When to call {@link #handleTimeout}/{@link #pollTransmit} next; Long.MAX_VALUE if never. */
    public long nextDeadlineMicros() {
        if (closed) {
            return Long.MAX_VALUE;
        }
        if (outbox.hasTransmits()) {
            return now;
        }
        long d = checks.retransmitDeadline();
        if (checking()) {
            d = Math.min(d, checks.nextCheckDeadline(selection.completed(), selection.nominating()));
        }
        if (nominates()) {
            d = Math.min(d, selection.nominationDeadline(now));
        }
        d = Math.min(d, consent.deadline(selection.selected()));
        if (started) {
            d = Math.min(d, states.failureTimerDeadline());
        }
        return d;
    }

    /** Whether we send connectivity checks now: a full agent, started, able to sign, with consent. */
    private boolean checking() {
        return !lite && started && credentials.remoteKnown() && !consent.lost();
    }

    /** Whether we are the one to nominate (RFC 8445 §8.1.1): a full agent in the controlling role. */
    private boolean nominates() {
        return !lite && role.isControlling();
    }

    private void tick(long nowMicros) {
        now = Math.max(now, nowMicros); // time never goes backwards for us
    }

    // ---------------------------------------------------------------------------------------
    // Read side
    // ---------------------------------------------------------------------------------------

    public IceState state() {
        return states.state();
    }

    /** The pair media uses ({@code remote().address()} is where it goes), or null. */
    public IcePair selectedPair() {
        return selection.selected();
    }

    public IceRole role() {
        return role.current();
    }

    public boolean isLite() {
        return lite;
    }

    public String localUfrag() {
        return credentials.localUfrag();
    }

    public String localPwd() {
        return credentials.localPwd();
    }

    public List<IceCandidate> localCandidates() {
        return List.copyOf(candidates.local());
    }

    public List<IceCandidate> remoteCandidates() {
        return List.copyOf(candidates.remote());
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
        IceState state = states.state();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("stream_id", config.streamId());
        n.put("component_id", 1);
        n.put("state", state.janusName());
        if (states.failedAt() >= 0) {
            n.put("failed-detected", states.failedAt());
            n.put("icetimer-started", state == IceState.FAILED);
        }
        if (gatheredAt >= 0) {
            n.put("gathered", gatheredAt);
        }
        if (selection.connectedAt() >= 0) {
            n.put("connected", selection.connectedAt());
        }
        if (!candidates.local().isEmpty()) {
            ArrayNode a = n.putArray("local-candidates");
            candidates.local().forEach(c -> a.add(c.toSdpValue()));
        }
        if (!candidates.remoteLines().isEmpty()) {
            ArrayNode a = n.putArray("remote-candidates");
            candidates.remoteLines().forEach(a::add);
        }
        if (selection.selected() != null) {
            n.put("selected-pair", selection.selected().toString());
        }
        // Janus's cdone as Janus 1.1.2 shows it: 0 while gathering, 1 once gathered, -1 once a
        // pair is connected (observed on a live call; the comparison test checks it).
        n.put("ready", selection.connectedAt() >= 0 ? -1 : gatheredAt >= 0 ? 1 : 0);
        return n;
    }
}
