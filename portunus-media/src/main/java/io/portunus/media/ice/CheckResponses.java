package io.portunus.media.ice;

import java.net.InetSocketAddress;

/**
 * Handles the responses to our Binding requests (RFC 8445 §7.2.5): a consent check's success
 * renews consent; a 487 switches role and retries; otherwise the check's pair succeeds (becomes
 * valid, which may select or nominate it, and may reveal a local peer-reflexive candidate) or
 * fails. Only the response to a pair's latest check decides its state.
 */
final class CheckResponses {
    private final OutgoingChecks checks;
    private final AgentRole role;
    private final CandidateLists candidates;
    private final CheckList checkList;
    private final PairSelection selection;
    private final ConsentFreshness consent;
    private final AgentOutbox outbox;

    CheckResponses(OutgoingChecks checks, AgentRole role, CandidateLists candidates, CheckList checkList,
                   PairSelection selection, ConsentFreshness consent, AgentOutbox outbox) {
        this.checks = checks;
        this.role = role;
        this.candidates = candidates;
        this.checkList = checkList;
        this.selection = selection;
        this.consent = consent;
        this.outbox = outbox;
    }

    /** A Binding success or error response from {@code from} that arrived on our socket {@code local}. */
    void onResponse(StunPacket msg, InetSocketAddress from, InetSocketAddress local, long now) {
        if (consent.lost()) {
            return; // RFC 7675 §5.1: we stopped using the peer, late answers change nothing
        }
        OutgoingChecks.Transaction t = checks.takeAnswered(msg);
        if (t == null) {
            return;
        }
        IcePair pair = t.pair;
        boolean symmetric = from.equals(pair.remote().address()) && local.equals(pair.local().address());
        if (t.consent) {
            // RFC 7675 §5.1: an authenticated success from the pair's peer renews consent.
            if (symmetric && msg.type() == StunPacket.BINDING_SUCCESS && pair == selection.selected()) {
                consent.confirmed(now);
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
                role.onRoleConflictAnswer(t.roleSent);
                selection.cancelNominationOf(pair);
                pair.state = pair.valid ? IcePair.State.SUCCEEDED : IcePair.State.WAITING;
                if (!pair.valid) {
                    checkList.trigger(pair);
                }
            } else if (decides) {
                selection.pairFailed(pair, now);
            }
            return;
        }
        if (!symmetric) {
            // RFC 8445 §7.2.5.2.1: addresses not symmetric: the check failed.
            if (decides) {
                selection.pairFailed(pair, now);
            }
            return;
        }
        IceCandidate learnt = candidates.learnLocalPeerReflexive(msg.mappedAddress(), pair);
        if (learnt != null) {
            outbox.emit(new IceEvent.LocalCandidate(learnt));
        }
        boolean wasValid = pair.valid;
        pair.state = IcePair.State.SUCCEEDED;
        pair.valid = true;
        selection.checkSucceeded(now);
        checkList.unfreeze(pair.foundation());
        if (pair == selection.selected()) {
            consent.confirmed(now);
        }
        if (t.useCandidate && role.current() == IceRole.CONTROLLING) {
            selection.nominationSucceeded(pair, now); // RFC 8445 §7.2.5.3.4
        } else if (role.current() == IceRole.CONTROLLED && pair.nominateOnSuccess) {
            pair.nominateOnSuccess = false;
            selection.nominate(pair, now);
        } else if (!wasValid) {
            selection.pairValid(pair, now);
        }
    }
}
