package io.portunus.media.ice;

import java.net.InetSocketAddress;

/**
 * Answers the peer's Binding requests (RFC 8445 §7.3): authentication (400, 401), role conflicts
 * (487), the success response, learning peer-reflexive remote candidates, and what a check
 * means for its pair: a triggered check of ours, and with USE-CANDIDATE a nomination. For an
 * ice-lite agent the peer's checks are all there is: they alone make pairs valid.
 */
final class IncomingChecks {
    private final boolean lite;
    private final IceCredentials credentials;
    private final AgentRole role;
    private final CandidateLists candidates;
    private final CheckList checkList;
    private final PairSelection selection;
    private final ConsentFreshness consent;
    private final AgentOutbox outbox;

    IncomingChecks(boolean lite, IceCredentials credentials, AgentRole role, CandidateLists candidates,
                   CheckList checkList, PairSelection selection, ConsentFreshness consent, AgentOutbox outbox) {
        this.lite = lite;
        this.credentials = credentials;
        this.role = role;
        this.candidates = candidates;
        this.checkList = checkList;
        this.selection = selection;
        this.consent = consent;
        this.outbox = outbox;
    }

    /** A Binding request from {@code from} that arrived on our socket {@code local}. */
    void onRequest(StunPacket msg, InetSocketAddress from, InetSocketAddress local, long now) {
        // RFC 5389 §10.1.2: no USERNAME or MESSAGE-INTEGRITY: 400; wrong ufrag or HMAC: 401.
        if (msg.username() == null || !msg.hasIntegrity()) {
            outbox.send(error(msg, 400, "Bad Request", null), local, from);
            return;
        }
        if (!credentials.addressedToUs(msg.username()) || !msg.integrityValid(credentials.localKey())) {
            outbox.send(error(msg, 401, "Unauthorized", null), local, from);
            return;
        }
        if (role.rejectsAsRoleConflict(msg)) {
            outbox.send(error(msg, 487, "Role Conflict", credentials.localKey()), local, from);
            return;
        }
        // RFC 8445 §7.3.1.2: success response, XOR-MAPPED-ADDRESS = source of the request,
        // integrity with our password (the one the request was signed with).
        byte[] response = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, msg.transactionId())
                .xorMappedAddress(from).build(credentials.localKey(), true);
        outbox.send(response, local, from);

        IceCandidate localCandidate = candidates.findLocal(local);
        if (localCandidate == null || !CandidateLists.pairable(localCandidate) || consent.lost()) {
            return; // answered, but not a socket we pair on (the caller passed another address)
        }
        IceCandidate remote = candidates.findRemote(from);
        if (remote == null) {
            // RFC 8445 §7.3.1.3: a peer-reflexive remote candidate, priority from PRIORITY.
            remote = candidates.addRemotePeerReflexive(from, msg.priority());
            if (remote == null) {
                return; // too many remote candidates
            }
            outbox.emit(new IceEvent.RemoteCandidate(remote));
        }
        IcePair pair = checkList.find(local, from);
        if (pair == null) {
            pair = checkList.add(localCandidate, remote, role.current());
            if (pair == null) {
                return; // check list full
            }
        }
        boolean useCandidate = msg.useCandidate() && role.current() == IceRole.CONTROLLED;
        if (lite) {
            // RFC 8445 §7.3.1.5 / §2.5: a lite agent has no checks of its own; the pair is
            // valid once the controlling agent checks it, nominated with USE-CANDIDATE.
            pair.valid = true;
            pair.state = IcePair.State.SUCCEEDED;
            if (pair == selection.selected()) {
                consent.confirmed(now); // lite: consent is the peer's checks arriving
            }
            if (useCandidate) {
                selection.nominate(pair, now);
            }
            return;
        }
        checkList.trigger(pair);
        if (useCandidate) {
            if (pair.valid) {
                selection.nominate(pair, now);
            } else {
                pair.nominateOnSuccess = true; // RFC 8445 §7.3.1.5: nominated once our check succeeds
            }
        }
    }

    private static byte[] error(StunPacket req, int code, String reason, byte[] key) {
        return new StunPacket.Builder(StunPacket.BINDING_ERROR, req.transactionId())
                .errorCode(code, reason).build(key, true);
    }
}
