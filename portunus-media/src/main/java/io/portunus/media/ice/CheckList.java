package io.portunus.media.ice;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The check list of one component (RFC 8445 §6.1.2): candidate pairs ordered by priority, their
 * frozen/waiting scheduling, and the triggered-check queue (§6.1.4.1). Owned by one
 * {@link IceAgent}; it decides which pair to check next, {@link OutgoingChecks} sends the checks.
 */
final class CheckList {
    /** RFC 8445 §6.1.2.5: the check list is limited (100 pairs is the recommended limit). */
    static final int MAX_PAIRS = 100;

    private final List<IcePair> pairs = new ArrayList<>();
    private final ArrayDeque<IcePair> triggered = new ArrayDeque<>();

    /** The pairs, highest priority first (live view: do not modify). */
    List<IcePair> pairs() {
        return pairs;
    }

    boolean contains(IcePair p) {
        return pairs.contains(p);
    }

    /**
     * Adds the pair local/remote unless their address families differ (RFC 8445 §6.1.2.2), it
     * exists, or the list is full. New pairs are Waiting unless a pair of the same foundation
     * is already being checked (§6.1.2.6; RFC 8838 §10 for pairs added by trickle).
     */
    IcePair add(IceCandidate local, IceCandidate remote, IceRole role) {
        boolean v4 = local.address().getAddress() instanceof Inet4Address;
        if (v4 != remote.address().getAddress() instanceof Inet4Address || pairs.size() >= MAX_PAIRS
                || find(local.address(), remote.address()) != null) {
            return null;
        }
        IcePair p = new IcePair(local, remote, role);
        p.state = foundationActive(p.foundation()) ? IcePair.State.FROZEN : IcePair.State.WAITING;
        pairs.add(p);
        sort();
        return p;
    }

    IcePair find(InetSocketAddress local, InetSocketAddress remote) {
        for (IcePair p : pairs) {
            if (p.matches(local, remote)) {
                return p;
            }
        }
        return null;
    }

    /** A signalled candidate replaces a peer-reflexive one: pairs keep their state (RFC 8838 §11.4). */
    void replaceRemote(IceCandidate old, IceCandidate c, IceRole role) {
        for (IcePair p : pairs) {
            if (p.remote() == old) {
                p.replaceRemote(c, role);
            }
        }
        sort();
    }

    /** Pair priorities depend on who is controlling (RFC 8445 §6.1.2.3): recompute after a role switch. */
    void recompute(IceRole role) {
        for (IcePair p : pairs) {
            p.recompute(role);
        }
        sort();
    }

    void clear() {
        pairs.clear();
        clearTriggered();
    }

    void clearTriggered() {
        triggered.forEach(p -> p.queued = false);
        triggered.clear();
    }

    /**
     * RFC 8445 §7.3.1.4: a triggered check, unless the pair already works (valid) or a check
     * of ours is already in flight on it. RFC 8445 cancels and re-sends an in-progress check;
     * we let it run instead (its retransmissions continue), because when both agents check
     * the same pair at once, cancel-and-retrigger on both sides ping-pongs forever.
     */
    void trigger(IcePair pair) {
        if (pair.valid || pair.state == IcePair.State.IN_PROGRESS) {
            return;
        }
        pair.state = IcePair.State.WAITING;
        if (!pair.queued) {
            pair.queued = true;
            triggered.add(pair);
        }
    }

    /** Queues a check on a (valid) pair ahead of everything else: the nomination (RFC 8445 §8.1.1). */
    void triggerFirst(IcePair pair) {
        triggered.remove(pair);
        pair.queued = true;
        triggered.addFirst(pair);
    }

    /**
     * The next pair to check (RFC 8445 §6.1.4.2): the triggered queue first, then the highest
     * priority Waiting pair, then the highest-priority Frozen pair whose foundation is not being
     * checked. Once ICE processing completed (§8.1.2) only triggered checks run.
     *
     * @param take remove it from the triggered queue (false: just look)
     */
    IcePair next(boolean take, boolean completed, IcePair nominating) {
        while (!triggered.isEmpty()) {
            IcePair p = triggered.peekFirst();
            // Skip pairs removed by a restart, and pairs that started working while queued
            // (unless it is the nomination check, which is sent on a valid pair on purpose).
            if (pairs.contains(p) && (!p.valid || p == nominating) && p.state != IcePair.State.IN_PROGRESS) {
                if (take) {
                    triggered.pollFirst();
                    p.queued = false;
                }
                return p;
            }
            triggered.pollFirst();
            p.queued = false;
        }
        if (completed) {
            return null;
        }
        for (IcePair p : pairs) {
            if (p.state == IcePair.State.WAITING) {
                return p;
            }
        }
        for (IcePair p : pairs) {
            if (p.state == IcePair.State.FROZEN && !foundationActive(p.foundation())) {
                return p;
            }
        }
        return null;
    }

    /** RFC 8445 §7.2.5.3.3: a success unfreezes the pairs with the same foundation. */
    void unfreeze(String foundation) {
        for (IcePair p : pairs) {
            if (p.state == IcePair.State.FROZEN && p.foundation().equals(foundation)) {
                p.state = IcePair.State.WAITING;
            }
        }
    }

    /** Waiting + In-Progress pairs, for the RTO formula of RFC 8445 §14.3. */
    long active() {
        return pairs.stream().filter(p -> p.state == IcePair.State.WAITING || p.state == IcePair.State.IN_PROGRESS).count();
    }

    /**
     * The pair regular nomination would pick (RFC 8445 §8.1.1): the best valid pair, once no
     * higher-priority pair is still pending or {@code waitedEnough}; null if none yet.
     */
    IcePair nominationCandidate(boolean waitedEnough) {
        boolean betterPending = false;
        for (IcePair p : pairs) { // sorted by priority, highest first
            if (p.valid) {
                return betterPending && !waitedEnough ? null : p;
            }
            if (p.state != IcePair.State.FAILED) {
                betterPending = true;
            }
        }
        return null;
    }

    /** The best valid pair, nominated ones first, or null. */
    IcePair bestValid() {
        IcePair best = null;
        for (IcePair p : pairs) {
            if (p.valid && (best == null || (p.nominated && !best.nominated))) {
                best = p;
            }
        }
        return best;
    }

    private boolean foundationActive(String foundation) {
        for (IcePair p : pairs) {
            if ((p.state == IcePair.State.WAITING || p.state == IcePair.State.IN_PROGRESS) && p.foundation().equals(foundation)) {
                return true;
            }
        }
        return false;
    }

    private void sort() {
        pairs.sort(Comparator.comparing(IcePair::priority, Long::compareUnsigned).reversed());
    }
}
