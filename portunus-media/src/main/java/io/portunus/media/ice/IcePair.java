package io.portunus.media.ice;

import java.net.InetSocketAddress;

/**
 * A candidate pair of the check list (RFC 8445 §6.1.2). Media for a selected pair goes from the
 * socket bound to {@code local().address()} to {@code remote().address()}.
 *
 * <p>Mutable, owned by one {@link IceAgent}; callers only read it.
 */
public final class IcePair {

    /** Pair states (RFC 8445 §6.1.2.6). */
    public enum State { FROZEN, WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    private final IceCandidate local;
    private IceCandidate remote;
    private long priority;
    State state;
    /** In the valid list (RFC 8445 §7.2.5.3.2): a check on it succeeded (or, lite, one was received). */
    boolean valid;
    boolean nominated;
    /** Controlled: USE-CANDIDATE arrived before our own check succeeded (RFC 8445 §7.3.1.5). */
    boolean nominateOnSuccess;
    /** Last time a USE-CANDIDATE check for this pair was received/confirmed. */
    long nominatedAt = Long.MIN_VALUE;
    /** Sitting in the triggered-check queue. */
    boolean queued;
    /** The transaction whose outcome decides this pair's state (consent checks never do). */
    String activeTransaction;

    IcePair(IceCandidate local, IceCandidate remote, IceRole role) {
        this.local = local;
        this.remote = remote;
        this.state = State.FROZEN;
        recompute(role);
    }

    public IceCandidate local() {
        return local;
    }

    public IceCandidate remote() {
        return remote;
    }

    /** Pair priority (RFC 8445 §6.1.2.3); compare with {@link Long#compareUnsigned}. */
    public long priority() {
        return priority;
    }

    public State state() {
        return state;
    }

    public boolean isValid() {
        return valid;
    }

    public boolean isNominated() {
        return nominated;
    }

    /** Pair foundation: the local and remote foundations joined (RFC 8445 §6.1.2.6). */
    public String foundation() {
        return local.foundation() + ":" + remote.foundation();
    }

    void replaceRemote(IceCandidate c, IceRole role) {
        remote = c;
        recompute(role);
    }

    /**
     * RFC 8445 §6.1.2.3: priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0), G being the
     * controlling agent's candidate priority and D the controlled agent's.
     */
    void recompute(IceRole role) {
        long g = role == IceRole.CONTROLLING ? local.priority() : remote.priority();
        long d = role == IceRole.CONTROLLING ? remote.priority() : local.priority();
        priority = (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
    }

    boolean matches(InetSocketAddress localAddress, InetSocketAddress remoteAddress) {
        return local.address().equals(localAddress) && remote.address().equals(remoteAddress);
    }

    @Override
    public String toString() {
        return local.janusPairSide() + " <-> " + remote.janusPairSide();
    }
}
