package io.portunus.media.ice;

/**
 * Which pair carries media (RFC 8445 §8): pairs becoming valid or failing, the controlling
 * agent's regular nomination, nominations of either side taking effect, and the selected pair
 * that results. Selecting a pair moves the state to CONNECTED (valid) or READY (nominated).
 */
final class PairSelection {
    private final IceConfig config;
    private final CheckList checkList;
    private final IceStateMachine states;
    private final ConsentFreshness consent;
    private final AgentOutbox outbox;

    private IcePair selected;
    /** The selected pair predates an ICE restart: any new pair replaces it. */
    private boolean selectedStale;
    /** Controlling: the pair whose USE-CANDIDATE check is queued or in flight. */
    private IcePair nominating;
    /** RFC 8445 §8.1.2: once a pair is nominated no ordinary checks are started any more. */
    private boolean completed;
    /** When the first pair of this generation became valid; starts the nomination delay. */
    private long firstValidAt = -1;
    private long connectedAt = -1;

    PairSelection(IceConfig config, CheckList checkList, IceStateMachine states, ConsentFreshness consent,
                  AgentOutbox outbox) {
        this.config = config;
        this.checkList = checkList;
        this.states = states;
        this.consent = consent;
        this.outbox = outbox;
    }

    /** The pair media uses, or null. */
    IcePair selected() {
        return selected;
    }

    IcePair nominating() {
        return nominating;
    }

    boolean completed() {
        return completed;
    }

    /** When a pair was first selected, for describe(); -1 if never. */
    long connectedAt() {
        return connectedAt;
    }

    /** A check of ours succeeded: the first success starts the nomination delay. */
    void checkSucceeded(long now) {
        if (firstValidAt < 0) {
            firstValidAt = now;
        }
    }

    /** A role switch makes a nomination in progress moot. */
    void cancelNomination() {
        nominating = null;
    }

    /** The check nominating {@code pair} was answered 487: it is retried as a plain check. */
    void cancelNominationOf(IcePair pair) {
        if (nominating == pair) {
            nominating = null;
        }
    }

    /** ICE restart: nomination starts over; the selected pair carries media until a new one is selected. */
    void startNewGeneration() {
        completed = false;
        nominating = null;
        firstValidAt = -1;
        selectedStale = selected != null;
    }

    /** ICE restart after consent was lost: the old pair must not carry media any more. */
    void dropSelected() {
        selected = null;
    }

    /** A pair became valid: media may use it until something is nominated. */
    void pairValid(IcePair pair, long now) {
        if (selected == null || selectedStale
                || (!selected.nominated && Long.compareUnsigned(pair.priority(), selected.priority()) > 0)) {
            select(pair, now);
        }
    }

    /** A check on {@code pair} failed: if it carried media, the best valid pair takes over. */
    void pairFailed(IcePair pair, long now) {
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
                select(best, now);
            } else {
                states.restartFailureTimer(now);
                states.set(IceState.CONNECTING);
            }
        }
    }

    /**
     * Regular nomination by the controlling agent (RFC 8445 §8.1.1): once no pair with a higher
     * priority than the best valid one is still pending, or after nominationDelay, send a check
     * with USE-CANDIDATE on the best valid pair. Only call when controlling.
     */
    void nominateIfDue(long now) {
        if (!nominationPending()) {
            return;
        }
        IcePair best = nominationCandidate(now);
        if (best == null) {
            return;
        }
        nominating = best;
        checkList.triggerFirst(best);
    }

    /** When {@link #nominateIfDue} must run next; Long.MAX_VALUE if not waiting to nominate. */
    long nominationDeadline(long now) {
        if (!nominationPending()) {
            return Long.MAX_VALUE;
        }
        // Due now if a pair could be nominated now; else when the delay ends (if a valid
        // pair exists by then, the next handleStun/handleTimeout will see it).
        if (nominationCandidate(now) != null) {
            return now;
        }
        if (now < firstValidAt + config.nominationDelayMicros()) {
            return firstValidAt + config.nominationDelayMicros();
        }
        return Long.MAX_VALUE;
    }

    /** Nothing nominated or being nominated yet, and some pair works. */
    private boolean nominationPending() {
        return !completed && nominating == null && firstValidAt >= 0;
    }

    /** The pair {@link #nominateIfDue} would nominate now, or null. */
    private IcePair nominationCandidate(long now) {
        return checkList.nominationCandidate(now >= firstValidAt + config.nominationDelayMicros());
    }

    /** Controlling: our USE-CANDIDATE check on {@code pair} succeeded (RFC 8445 §7.2.5.3.4). */
    void nominationSucceeded(IcePair pair, long now) {
        nominating = null;
        nominate(pair, now);
    }

    /**
     * A pair is nominated. The controlled agent selects the highest-priority nominated pair
     * (RFC 8445 §8.1.1); but since browsers re-nominate a lower-priority pair when the selected
     * one breaks, a lower nomination wins once the selected pair has not been re-nominated for
     * nominationHold.
     */
    void nominate(IcePair pair, long now) {
        long previous = selected == null ? Long.MIN_VALUE : selected.nominatedAt;
        pair.nominated = true;
        pair.nominatedAt = now;
        completed = true;
        if (selected == null || selectedStale || selected == pair || !selected.nominated
                || Long.compareUnsigned(pair.priority(), selected.priority()) > 0
                || now - previous >= config.nominationHoldMicros()) {
            select(pair, now);
        }
    }

    private void select(IcePair pair, long now) {
        if (pair != selected) {
            boolean fresh = selected == null || selectedStale || consent.lost();
            selected = pair;
            selectedStale = false;
            outbox.emit(new IceEvent.SelectedPair(pair.local(), pair.remote()));
            if (connectedAt < 0) {
                connectedAt = now;
            }
            if (fresh) {
                consent.startOnNewPair(now);
            }
        }
        states.set(pair.nominated ? IceState.READY : IceState.CONNECTED);
    }
}
