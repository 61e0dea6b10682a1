package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.media.ice.IceAgent;
import io.portunus.media.ice.IceCandidate;
import io.portunus.media.ice.IceConfig;
import io.portunus.media.ice.IceEvent;
import io.portunus.media.ice.IcePair;
import io.portunus.media.ice.IceRole;
import io.portunus.media.ice.IceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sockets and ICE of one PeerConnection: a UDP socket per local address (BUNDLE and
 * rtcp-mux, so one is all a medium needs), the local candidates (host, and srflx with
 * nat.stun_server), both sides' ICE credentials, and the ICE agent with its timer. The sockets
 * themselves are the {@link MediaIo}'s: it hands their datagrams to the {@link PeerConnection}
 * to demultiplex; this class writes datagrams to the pair ICE selected. Used on the
 * PeerConnection's loop, except {@link #bind()} and the credential reads.
 */
final class IceTransport {
    /** Logs under PeerConnection's name, as before it was split: one logger tells a PeerConnection's story. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerConnection pc;
    private final MediaEngine engine;
    private final PeerConnection.Listener listener;
    private final MediaIo io;
    /** Ours and the peer's ICE credentials; an ICE restart changes both (set on the loop). */
    private volatile String localUfrag = randomToken(4);
    private volatile String localPwd = randomToken(22);
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private final IceAgent ice;
    /** Our bound socket addresses, one per host candidate. */
    private final List<InetSocketAddress> sockets = new ArrayList<>();
    private final List<IceCandidate> localCandidates = new ArrayList<>();
    private volatile boolean started;
    /** When connectivity checks began ({@code agent-started}), -1 before. */
    private volatile long startedMicros = -1;
    /** srflx gathering while it runs (nat.stun_server), else null. */
    private volatile ReflexiveGathering reflexive;
    private MediaIo.Timer timer;

    IceTransport(PeerConnection pc, MediaEngine engine, PeerConnection.Listener listener, MediaIo io,
                 String remoteUfrag, String remotePwd) {
        this.pc = pc;
        this.engine = engine;
        this.listener = listener;
        this.io = io;
        // RFC 8445 §6.1.1: a full agent that offers is controlling; answering, it is controlled.
        IceRole role = remoteUfrag == null ? IceRole.CONTROLLING : IceRole.CONTROLLED;
        this.ice = new IceAgent(role, localUfrag, localPwd, engine.settings().media.iceLite(),
                RANDOM.nextLong(), IceConfig.defaults());
        if (remoteUfrag != null) {
            this.ice.setRemoteCredentials(remoteUfrag, remotePwd);
        }
        this.remoteUfrag = remoteUfrag;
        this.remotePwd = remotePwd;
    }

    /**
     * On the loop: the peer's credentials from its answer to our offer (the PeerConnection was
     * made before the peer's ICE was known).
     */
    void remoteCredentials(String ufrag, String pwd) {
        ice.setRemoteCredentials(ufrag, pwd);
        remoteUfrag = ufrag;
        remotePwd = pwd;
    }

    // ---- set-up ----------------------------------------------------------------------------

    /**
     * Binds a socket on every media address, from the port range, for the host candidates;
     * with nat.stun_server, also learns a srflx candidate per socket (waiting at most the
     * gatherer's give-up time: the answer carries all candidates, as Janus's half-trickle).
     */
    void bind() throws InterruptedException {
        List<InetAddress> addresses = engine.hostAddresses();
        int[] preferences = IceCandidate.localPreferences(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress local = bindOne(addresses.get(i));
            sockets.add(local);
            localCandidates.add(IceCandidate.host(local, preferences[i]));
        }
        if (engine.stunServer() != null) {
            localCandidates.addAll(gatherReflexive());
        }
        // On the loop: the agent is single-threaded. Its "gathering" state is reported first,
        // then the candidates, as Janus reports them.
        io.execute(() -> {
            localCandidates.forEach(ice::addLocalCandidate);
            ice.endOfLocalCandidates(io.nowMicros());
            pump();
            localCandidates.forEach(c -> listener.onLocalCandidate(c.toSdpValue()));
        });
    }

    private List<IceCandidate> gatherReflexive() throws InterruptedException {
        var gathering = new ReflexiveGathering(io, engine.stunServer(), engine.reflexiveTiming());
        reflexive = gathering;
        try {
            // The gatherer gives up by itself; the extra second only guards against a stuck loop.
            long limitMs = engine.reflexiveTiming().giveUpMicros() / 1000 + 1000;
            return gathering.start(List.copyOf(localCandidates)).get(limitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("srflx gathering did not finish ({}): host candidates only", e.toString());
            return List.of();
        } finally {
            reflexive = null;
        }
    }

    private InetSocketAddress bindOne(InetAddress address) throws InterruptedException {
        PortRange ports = engine.ports();
        for (int attempt = 0; attempt < ports.size(); attempt++) {
            int port = ports.nextPort();
            InetSocketAddress bound = io.bind(new InetSocketAddress(address, port), pc);
            if (bound != null) {
                return bound;
            }
        }
        throw new IllegalStateException("No free UDP port for media on " + address.getHostAddress()
                + (ports.isAny() ? "" : " in rtp_port_range"));
    }

    String localUfrag() {
        return localUfrag;
    }

    String localPwd() {
        return localPwd;
    }

    List<IceCandidate> localCandidates() {
        return localCandidates;
    }

    /** The address of the first socket, for the answer's c= line. */
    String connectionAddress() {
        return sockets.isEmpty() ? "127.0.0.1" : sockets.get(0).getAddress().getHostAddress();
    }

    // ---- ICE -------------------------------------------------------------------------------

    /** On the loop, once our answer is out: connectivity checks start (later answers change nothing). */
    void startChecks() {
        if (!started && !pc.isClosed()) {
            started = true;
            startedMicros = io.nowMicros();
            ice.start(startedMicros);
            pump();
        }
    }

    /** Whether an offer's credentials differ from the peer's current ones, which means an ICE restart. */
    boolean isRestart(String ufrag, String pwd) {
        return remoteUfrag != null && !ufrag.equals(remoteUfrag) || !pwd.equals(remotePwd);
    }

    /** On the loop: an ICE restart (RFC 8445 §9), new credentials on both sides. */
    void restart(String ufrag, String pwd) {
        localUfrag = randomToken(4);
        localPwd = randomToken(22);
        ice.restart(localUfrag, localPwd);
        ice.setRemoteCredentials(ufrag, pwd);
        remoteUfrag = ufrag;
        remotePwd = pwd;
        LOG.debug("ICE restart: new local ufrag {}", localUfrag);
    }

    /**
     * On the loop: an ICE restart we start ourselves, in a new offer (RFC 8445 §9.1.1.1): new
     * local credentials now; the peer's old ones and candidates are forgotten, its new ones come
     * with its answer ({@link #remoteCredentials}) and its trickles. The selected pair keeps
     * carrying media until a pair of the new generation is selected.
     */
    void restartLocal() {
        localUfrag = randomToken(4);
        localPwd = randomToken(22);
        ice.restart(localUfrag, localPwd);
        remoteUfrag = null;
        remotePwd = null;
        LOG.debug("ICE restart (ours): new local ufrag {}", localUfrag);
    }

    void addRemoteCandidate(IceCandidate candidate, String asReceived) {
        io.execute(() -> {
            listener.onRemoteCandidate(asReceived);
            ice.addRemoteCandidate(candidate);
            pump();
        });
    }

    void endOfRemoteCandidates() {
        io.execute(ice::endOfRemoteCandidates);
    }

    /** On the loop: a STUN datagram, for srflx gathering while it runs, else for the ICE agent. */
    void receiveStun(byte[] data, int len, InetSocketAddress from, InetSocketAddress local) {
        ReflexiveGathering g = reflexive;
        if (g != null && g.offer(data, len, from)) {
            return;
        }
        if (ice.handleStun(data, 0, len, from, local, io.nowMicros())) {
            pump();
        }
    }

    /** Sends what the ICE agent wants sent, reacts to its events, and re-arms its timer. */
    void pump() {
        long now = io.nowMicros();
        for (var t : ice.pollTransmit(now)) {
            io.send(t.from(), t.to(), t.data());
        }
        for (var event : ice.pollEvents()) {
            if (event instanceof IceEvent.StateChanged sc) {
                listener.onIceState(sc.state().janusName());
                logState(sc.state());
                pc.iceStateChanged(sc.state());
            } else if (event instanceof IceEvent.SelectedPair sp) {
                listener.onSelectedPair(sp.local(), sp.remote());
            }
        }
        if (timer != null) {
            timer.cancel();
        }
        long deadline = ice.nextDeadlineMicros();
        if (deadline != Long.MAX_VALUE && !pc.isClosed()) {
            long delay = Math.max(1_000, deadline - now);
            timer = io.schedule(() -> {
                ice.handleTimeout(io.nowMicros());
                pump();
            }, delay);
        }
    }

    private void logState(IceState state) {
        if (engine.live().iceDebug()) {
            // set_libnice_debug: Janus turns on libnice's log; ours is the agent's own account.
            LOG.info("ICE debug: state {} (selected pair {})", state.janusName(), ice.selectedPair());
        } else {
            LOG.debug("ICE state {}", state.janusName());
        }
    }

    /** The {@code ice} part of {@code handle_info}. */
    ObjectNode describe() {
        return ice.describe();
    }

    /** When connectivity checks began (Janus's {@code agent-started}), or -1. */
    long startedMicros() {
        return startedMicros;
    }

    // ---- datagrams -------------------------------------------------------------------------

    /** Sends a datagram to the peer on the ICE-selected pair; dropped while there is none. On the loop. */
    void write(byte[] datagram) {
        write(datagram, 0, datagram.length);
    }

    /** As {@link #write(byte[])}, for {@code buf[off, off + len)}: copied before this returns. */
    void write(byte[] buf, int off, int len) {
        IcePair pair = ice.selectedPair();
        if (pair == null) {
            pc.errors().sendsWithoutPair++;
            return;
        }
        io.send(pair.local().address(), pair.remote().address(), buf, off, len);
    }

    /** On the loop, at close: no more ICE timer, sockets closed. */
    void close() {
        if (timer != null) {
            timer.cancel();
        }
        io.closeSockets();
    }

    private static String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
