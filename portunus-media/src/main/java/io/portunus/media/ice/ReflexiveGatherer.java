package io.portunus.media.ice;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-reflexive candidate gathering (RFC 8445 §5.1.1.2) against one STUN server
 * ({@code nat.stun_server}), sans-IO like {@link IceAgent}: one Binding request (RFC 5389,
 * no authentication) from every host candidate's socket, retransmitted a bounded number of
 * times; each success's XOR-MAPPED-ADDRESS becomes a srflx candidate with that host as base.
 *
 * <p>Gathering is bounded on purpose (our choice, {@link Timing#defaults()}): the answer waits
 * for it, so a server that never answers costs at most {@code giveUpMicros} and the call goes on
 * with host candidates only. A mapped address equal to the host's (no NAT in between) adds
 * nothing (RFC 8445 §5.1.3: redundant).
 *
 * <p>Not thread-safe: drive it from one thread.
 */
public final class ReflexiveGatherer {
    /**
     * Retransmission schedule: the first RTO, doubled each time, at most {@code maxRequests}
     * requests, and a hard end to the whole gathering.
     */
    public record Timing(long firstRtoMicros, int maxRequests, long giveUpMicros) {
        /** 3 requests at 0, 250, 750 ms; given up 1.5 s after the start. */
        public static Timing defaults() {
            return new Timing(250_000, 3, 1_500_000);
        }
    }

    private static final class Request {
        final IceCandidate host;
        final byte[] data;
        int sent;
        long rto;
        long nextAt;

        Request(IceCandidate host, byte[] data) {
            this.host = host;
            this.data = data;
        }
    }

    private final InetSocketAddress server;
    private final Timing timing;
    private final Map<String, Request> pending = new LinkedHashMap<>();
    private final List<IceCandidate> found = new ArrayList<>();
    private long giveUpAt = Long.MAX_VALUE;

    public ReflexiveGatherer(InetSocketAddress server, Timing timing) {
        this.server = server;
        this.timing = timing == null ? Timing.defaults() : timing;
    }

    /** Queues a Binding request from every host candidate of the server's address family. */
    public void start(List<IceCandidate> hosts, long nowMicros) {
        giveUpAt = nowMicros + timing.giveUpMicros();
        boolean v4 = server.getAddress() instanceof Inet4Address;
        for (IceCandidate host : hosts) {
            if (!"host".equals(host.type()) || (host.address().getAddress() instanceof Inet4Address) != v4) {
                continue;
            }
            byte[] id = StunPacket.newTransactionId();
            byte[] data = new StunPacket.Builder(StunPacket.BINDING_REQUEST, id).build(null, true);
            Request r = new Request(host, data);
            r.rto = timing.firstRtoMicros();
            r.nextAt = nowMicros;
            pending.put(HexFormat.of().formatHex(id), r);
        }
    }

    /** Requests due now (first sends and retransmissions); past the give-up time, nothing. */
    public List<Transmit> pollTransmit(long nowMicros) {
        expire(nowMicros);
        List<Transmit> out = new ArrayList<>();
        for (Request r : pending.values()) {
            if (r.nextAt <= nowMicros && r.sent < timing.maxRequests()) {
                out.add(new Transmit(r.data, r.host.address(), server));
                if (r.sent > 0) {
                    r.rto *= 2;
                }
                r.sent++;
                r.nextAt = nowMicros + r.rto;
            }
        }
        return out;
    }

    /**
     * A datagram that arrived on a media socket. True if it was the server's answer to one of
     * our requests (consumed); false for anything else (ICE checks, DTLS, media).
     */
    public boolean handleResponse(byte[] buf, int off, int len, InetSocketAddress from, long nowMicros) {
        if (pending.isEmpty() || !server.equals(from) || !StunPacket.looksLikeStun(buf, off, len)) {
            return false;
        }
        StunPacket msg = StunPacket.parse(buf, off, len);
        if (msg == null || !msg.isResponse()) {
            return false;
        }
        Request r = pending.remove(HexFormat.of().formatHex(msg.transactionId()));
        if (r == null) {
            return false;
        }
        InetSocketAddress mapped = msg.type() == StunPacket.BINDING_SUCCESS ? msg.mappedAddress() : null;
        if (mapped != null && !mapped.equals(r.host.address())) {
            int localPreference = (int) ((r.host.priority() >> 8) & 0xFFFF);
            found.add(IceCandidate.serverReflexive(mapped, r.host.address(), localPreference));
        }
        return true;
    }

    /** All requests answered, or the time is up. */
    public boolean isDone(long nowMicros) {
        expire(nowMicros);
        return pending.isEmpty();
    }

    /** When to call {@link #pollTransmit}/{@link #isDone} next; Long.MAX_VALUE once done. */
    public long nextDeadlineMicros() {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long d = giveUpAt;
        for (Request r : pending.values()) {
            if (r.sent < timing.maxRequests()) {
                d = Math.min(d, r.nextAt);
            }
        }
        return d;
    }

    /** The srflx candidates found so far, in the order the answers came. */
    public List<IceCandidate> candidates() {
        return List.copyOf(found);
    }

    private void expire(long nowMicros) {
        if (nowMicros >= giveUpAt) {
            pending.clear();
        }
    }
}
