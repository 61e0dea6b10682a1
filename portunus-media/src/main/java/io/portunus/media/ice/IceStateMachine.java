package io.portunus.media.ice;

/**
 * The agent's {@link IceState}, reported as an event on every change, and the failure timer that
 * moves it to FAILED (our choice, see {@link IceConfig}): with no working pair,
 * failureTimeout after the timer's base once the peer's candidates are complete, or
 * hardFailureTimeout after it regardless. The base is when checks started, and moves on an ICE
 * restart and when the selected pair fails with nothing to replace it.
 */
final class IceStateMachine {
    private final IceConfig config;
    private final AgentOutbox outbox;

    private IceState state = IceState.DISCONNECTED;
    /** The peer signalled end-of-candidates (RFC 8838 §8.2): the shorter failure timeout applies. */
    private boolean remoteComplete;
    private long failureTimerBase;
    private long failedAt = -1;

    IceStateMachine(IceConfig config, AgentOutbox outbox) {
        this.config = config;
        this.outbox = outbox;
    }

    IceState state() {
        return state;
    }

    void set(IceState s) {
        if (s == IceState.READY && !state.isConnected()) {
            // A pair valid and nominated at once (the peer's USE-CANDIDATE check came first) still
            // passes through "connected", as Janus reports every ICE connection: gathering,
            // connecting, connected, ready.
            set(IceState.CONNECTED);
        }
        if (s != state) {
            state = s;
            outbox.emit(new IceEvent.StateChanged(s));
        }
    }

    void fail(long now) {
        failedAt = now;
        set(IceState.FAILED);
    }

    /** When FAILED was last entered, for describe(); -1 if not since the last restart. */
    long failedAt() {
        return failedAt;
    }

    void remoteCandidatesComplete() {
        remoteComplete = true;
    }

    /** The failure timeouts count from {@code now}. */
    void restartFailureTimer(long now) {
        failureTimerBase = now;
    }

    /** ICE restart: the peer's new generation has not signalled end-of-candidates yet. */
    void startNewGeneration(long now) {
        remoteComplete = false;
        failureTimerBase = now;
        failedAt = -1;
    }

    /** Fails if the failure timer ran out; only call once checks have started. */
    void checkFailureTimer(long now) {
        if (state == IceState.FAILED || state.isConnected()) {
            return;
        }
        if (now >= failureDeadline()) {
            fail(now);
        }
    }

    /** When {@link #checkFailureTimer} must run next; Long.MAX_VALUE if the timer is not running. */
    long failureTimerDeadline() {
        return state == IceState.FAILED || state.isConnected() ? Long.MAX_VALUE : failureDeadline();
    }

    private long failureDeadline() {
        return failureTimerBase + (remoteComplete ? config.failureTimeoutMicros() : config.hardFailureTimeoutMicros());
    }
}
