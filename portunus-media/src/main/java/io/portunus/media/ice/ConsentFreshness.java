package io.portunus.media.ice;

import java.util.SplittableRandom;

/**
 * Consent freshness on the selected pair (RFC 7675) and, for ice-lite, keepalives (RFC 8445 §11):
 * when consent was last confirmed, when the next consent check or keepalive is due, and whether
 * consent was lost. A full agent confirms consent by its own consent checks being answered; a
 * lite agent, which sends no checks, by the peer's checks arriving. Losing consent is final
 * until an ICE restart.
 */
final class ConsentFreshness {
    private final IceConfig config;
    private final boolean lite;
    /** Jitter for consent intervals; seeded from the (random) tie-breaker so tests are repeatable. */
    private final SplittableRandom jitter;
    private final IceCredentials credentials;
    private final OutgoingChecks checks;
    private final CheckList checkList;
    private final IceStateMachine states;
    private final AgentOutbox outbox;

    private long lastConsentAt;
    private long nextConsentAt;
    private long nextKeepaliveAt;
    private boolean lost;

    ConsentFreshness(IceConfig config, boolean lite, long tieBreaker, IceCredentials credentials, OutgoingChecks checks,
                     CheckList checkList, IceStateMachine states, AgentOutbox outbox) {
        this.config = config;
        this.lite = lite;
        this.jitter = new SplittableRandom(tieBreaker);
        this.credentials = credentials;
        this.checks = checks;
        this.checkList = checkList;
        this.states = states;
        this.outbox = outbox;
    }

    boolean lost() {
        return lost;
    }

    /** The peer confirmed consent at {@code now}. */
    void confirmed(long now) {
        lastConsentAt = now;
    }

    /** New remote credentials: consent restarts with them (never moving backwards). */
    void restartWithNewCredentials(long now) {
        lastConsentAt = Math.max(lastConsentAt, now);
    }

    /** A pair was selected with no live consented pair before it: consent and its timers start afresh. */
    void startOnNewPair(long now) {
        lastConsentAt = now;
        nextConsentAt = now + consentInterval();
        nextKeepaliveAt = now + config.keepaliveMicros();
    }

    /** ICE restart after consent was lost: a new pair may be consented to again. */
    void clearLoss() {
        lost = false;
    }

    /**
     * Runs consent on {@code selected} (null: none): loses it after the consent timeout without
     * confirmation, else sends the consent check (full agent) or keepalive (lite) that is due.
     */
    void run(IcePair selected, IceRole role, long now) {
        if (selected == null || !states.state().isConnected() || lost) {
            return;
        }
        if (now >= lastConsentAt + config.consentTimeoutMicros()) {
            lost = true;
            // RFC 7675 §5.1: stop sending on the pair; only a restart brings it back.
            checks.clear();
            checkList.clearTriggered();
            outbox.emit(new IceEvent.ConsentLost());
            states.fail(now);
            return;
        }
        if (lite) {
            if (now >= nextKeepaliveAt) {
                byte[] ind = new StunPacket.Builder(StunPacket.BINDING_INDICATION, StunPacket.newTransactionId())
                        .build(null, true);
                outbox.send(ind, selected.local().address(), selected.remote().address());
                nextKeepaliveAt = now + config.keepaliveMicros();
            }
        } else if (credentials.remoteKnown() && now >= nextConsentAt) {
            checks.send(selected, role, false, true, now);
            nextConsentAt = now + consentInterval();
        }
    }

    /** When {@link #run} must run next for {@code selected}; Long.MAX_VALUE if nothing is due. */
    long deadline(IcePair selected) {
        if (selected == null || !states.state().isConnected() || lost) {
            return Long.MAX_VALUE;
        }
        long d = lastConsentAt + config.consentTimeoutMicros();
        if (lite) {
            d = Math.min(d, nextKeepaliveAt);
        } else if (credentials.remoteKnown()) {
            d = Math.min(d, nextConsentAt);
        }
        return d;
    }

    /** RFC 7675 §5.1: randomised interval (4-6 s by default) so checks don't synchronise. */
    private long consentInterval() {
        long span = config.consentMaxMicros() - config.consentMinMicros();
        return config.consentMinMicros() + (span > 0 ? jitter.nextLong(span + 1) : 0);
    }
}
