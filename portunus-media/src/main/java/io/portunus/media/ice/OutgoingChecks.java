package io.portunus.media.ice;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Our Binding requests (RFC 8445 §7.2.2) as STUN client transactions (RFC 5389 §7.2.1): pacing
 * new checks one per Ta, building and signing each request, its RTO and retransmissions, and
 * matching responses to the transaction they answer. Connectivity checks and consent checks
 * (RFC 7675) both go out through here; only connectivity checks decide their pair's state.
 */
final class OutgoingChecks {

    /** An outstanding Binding request of ours. */
    static final class Transaction {
        final String id;
        final byte[] data;
        final IcePair pair;
        /** The peer's key at the time of sending: the response must be signed with it. */
        final byte[] key;
        final boolean consent;
        final boolean useCandidate;
        /** A 487 answer only makes us switch role if we still have the role the request claimed. */
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

    private final IceConfig config;
    private final long tieBreaker;
    private final IceCredentials credentials;
    private final CheckList checkList;
    private final AgentOutbox outbox;
    private final Map<String, Transaction> transactions = new LinkedHashMap<>();
    private long nextCheckAt;

    OutgoingChecks(IceConfig config, long tieBreaker, IceCredentials credentials, CheckList checkList, AgentOutbox outbox) {
        this.config = config;
        this.tieBreaker = tieBreaker;
        this.credentials = credentials;
        this.checkList = checkList;
        this.outbox = outbox;
    }

    /** Checks may start at once. */
    void start(long now) {
        nextCheckAt = now;
    }

    /**
     * RFC 8445 §6.1.4.2: one new check per Ta, on the pair the check list picks; with
     * USE-CANDIDATE if we are controlling and it is the pair being nominated.
     */
    void sendNextIfDue(IceRole role, boolean completed, IcePair nominating, long now) {
        if (now < nextCheckAt) {
            return;
        }
        IcePair p = checkList.next(true, completed, nominating);
        if (p != null) {
            send(p, role, role == IceRole.CONTROLLING && p == nominating, false, now);
            nextCheckAt = now + config.taMicros();
        }
    }

    /** When {@link #sendNextIfDue} has a check to send; Long.MAX_VALUE if none is waiting. */
    long nextCheckDeadline(boolean completed, IcePair nominating) {
        return checkList.next(false, completed, nominating) != null ? nextCheckAt : Long.MAX_VALUE;
    }

    /** A Binding request on {@code pair} (RFC 8445 §7.2.2), signed with the peer's password. */
    void send(IcePair pair, IceRole role, boolean useCandidate, boolean consent, long now) {
        byte[] id = StunPacket.newTransactionId();
        StunPacket.Builder b = new StunPacket.Builder(StunPacket.BINDING_REQUEST, id)
                .username(credentials.checkUsername())
                .priority(CandidateLists.peerReflexivePriority(pair.local()));
        if (role == IceRole.CONTROLLING) {
            b.iceControlling(tieBreaker);
            if (useCandidate) {
                b.useCandidate();
            }
        } else {
            b.iceControlled(tieBreaker);
        }
        byte[] key = credentials.remoteKey();
        byte[] data = b.build(key, true);
        Transaction t = new Transaction(HexFormat.of().formatHex(id), data, pair, key, consent, useCandidate, role);
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
        outbox.send(data, pair.local().address(), pair.remote().address());
    }

    /**
     * Retransmits what is due; a connectivity check that got no answer after maxRequests
     * transmissions fails its pair (RFC 8445 §7.2.5.2.3), through {@code pairTimedOut}.
     */
    void retransmit(long now, Consumer<IcePair> pairTimedOut) {
        for (Transaction t : new ArrayList<>(transactions.values())) {
            if (t.nextAt > now) {
                continue;
            }
            if (t.sent >= config.maxRequests()) {
                transactions.remove(t.id);
                if (!t.consent && t.id.equals(t.pair.activeTransaction)) {
                    t.pair.activeTransaction = null;
                    pairTimedOut.accept(t.pair);
                }
                continue;
            }
            t.sent++;
            t.rto = Math.min(t.rto * 2, config.maxRtoMicros());
            t.nextAt = now + t.rto;
            outbox.send(t.data, t.pair.local().address(), t.pair.remote().address());
        }
    }

    /** The earliest retransmission or transaction timeout; Long.MAX_VALUE if none is outstanding. */
    long retransmitDeadline() {
        long d = Long.MAX_VALUE;
        for (Transaction t : transactions.values()) {
            d = Math.min(d, t.nextAt);
        }
        return d;
    }

    /**
     * Ends and returns the transaction {@code response} answers, or null if there is none or the
     * response is not authenticated with the key the request was signed with (RFC 8445 §7.2.5:
     * such a response is discarded and the transaction keeps running).
     */
    Transaction takeAnswered(StunPacket response) {
        Transaction t = transactions.get(HexFormat.of().formatHex(response.transactionId()));
        if (t == null || !response.integrityValid(t.key)) {
            return null;
        }
        transactions.remove(t.id);
        return t;
    }

    /** Abandons every outstanding request: no more retransmissions, late responses are ignored. */
    void clear() {
        transactions.clear();
    }
}
