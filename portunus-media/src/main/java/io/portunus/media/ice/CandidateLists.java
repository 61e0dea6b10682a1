package io.portunus.media.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Our candidates and the peer's (component 1, UDP, resolved only), the peer's candidate lines as
 * they were signalled (for describe()), and their pairing into the {@link CheckList}: each of
 * our host/relay candidates with each of the peer's. Peer-reflexive candidates, learnt from
 * checks and responses rather than signalled, are added here too.
 */
final class CandidateLists {
    /** Bounds what a peer (or an attacker spraying checks from many addresses) can make us keep. */
    static final int MAX_REMOTE_CANDIDATES = 64;

    private final CheckList checkList;
    private final List<IceCandidate> local = new ArrayList<>();
    private final List<IceCandidate> remote = new ArrayList<>();
    private final List<String> remoteLines = new ArrayList<>();
    /** Numbers the foundations of remote peer-reflexive candidates, which the peer never named. */
    private int prflxCounter;

    CandidateLists(CheckList checkList) {
        this.checkList = checkList;
    }

    /** Adds and pairs a local candidate; false if it is ignored (not UDP component 1, or known). */
    boolean addLocal(IceCandidate c, IceRole role) {
        if (!c.isUdp() || !c.isResolved() || c.component() != 1 || findLocal(c.address()) != null) {
            return false;
        }
        local.add(c);
        if (pairable(c)) {
            for (IceCandidate r : remote) {
                checkList.add(c, r, role);
            }
        }
        return true;
    }

    /**
     * Records a signalled remote candidate's {@code line} and, if usable, adds and pairs the
     * candidate; a known peer-reflexive one at its address is upgraded in place instead.
     */
    void addRemote(IceCandidate c, String line, IceRole role) {
        remoteLines.add(line);
        if (!c.isUdp() || !c.isResolved() || c.component() != 1) {
            return;
        }
        IceCandidate known = findRemote(c.address());
        if (known != null) {
            if ("prflx".equals(known.type()) && !"prflx".equals(c.type())) {
                // RFC 8838 §11.4 / RFC 8445 §7.3.1.3: the signalled candidate replaces the
                // peer-reflexive one we learnt from its check; pairs keep their state.
                remote.set(remote.indexOf(known), c);
                checkList.replaceRemote(known, c, role);
            }
            return;
        }
        if (remote.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        remote.add(c);
        for (IceCandidate l : local) {
            if (pairable(l)) {
                checkList.add(l, c, role);
            }
        }
    }

    /**
     * RFC 8445 §7.3.1.3: a check from an address we know no candidate for reveals a remote
     * peer-reflexive candidate, with the PRIORITY the check carried ({@code priority} < 0: none).
     * Not paired here: the caller pairs it with the local candidate the check arrived on.
     *
     * @return the new candidate, or null if we hold the maximum number of remote candidates
     */
    IceCandidate addRemotePeerReflexive(InetSocketAddress from, long priority) {
        if (remote.size() >= MAX_REMOTE_CANDIDATES) {
            return null;
        }
        long p = priority >= 0 ? priority : IceCandidate.priority("prflx", 65535, 1);
        IceCandidate c = new IceCandidate("prflx" + (++prflxCounter), 1, "udp", p, from, "prflx", null);
        remote.add(c);
        return c;
    }

    /**
     * RFC 8445 §7.2.5.3.1: a mapped address in a response to our check on {@code pair} that is
     * none of ours is a local peer-reflexive candidate, based on the pair's local candidate.
     *
     * @return the new candidate, or null if there is nothing new
     */
    IceCandidate learnLocalPeerReflexive(InetSocketAddress mapped, IcePair pair) {
        if (mapped == null || findLocal(mapped) != null) {
            return null;
        }
        IceCandidate c = new IceCandidate(IceCandidate.foundation("prflx", pair.local().address().getAddress()), 1,
                "udp", peerReflexivePriority(pair.local()), mapped, "prflx", pair.local().address());
        local.add(c);
        return c;
    }

    /** ICE restart: the peer's candidates belong to its previous generation. */
    void clearRemote() {
        remote.clear();
        remoteLines.clear();
    }

    IceCandidate findLocal(InetSocketAddress a) {
        for (IceCandidate c : local) {
            if (c.address().equals(a)) {
                return c;
            }
        }
        return null;
    }

    IceCandidate findRemote(InetSocketAddress a) {
        for (IceCandidate c : remote) {
            if (c.address().equals(a)) {
                return c;
            }
        }
        return null;
    }

    /** Live view: do not modify. */
    List<IceCandidate> local() {
        return local;
    }

    /** Live view: do not modify. */
    List<IceCandidate> remote() {
        return remote;
    }

    /** The peer's candidate lines as signalled, including those we ignored. Live view. */
    List<String> remoteLines() {
        return remoteLines;
    }

    /** Host and relay candidates are sent from; srflx/prflx share their base's socket (RFC 8445 §6.1.2.4). */
    static boolean pairable(IceCandidate c) {
        return "host".equals(c.type()) || "relay".equals(c.type());
    }

    /** RFC 8445 §7.1.1: the priority a peer-reflexive candidate from {@code base} would have (our checks' PRIORITY). */
    static long peerReflexivePriority(IceCandidate base) {
        return ((long) IceCandidate.TYPE_PREF_PRFLX << 24) | (base.priority() & 0x00FFFFFFL);
    }
}
