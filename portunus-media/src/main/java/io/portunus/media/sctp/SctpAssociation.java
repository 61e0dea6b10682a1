package io.portunus.media.sctp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import static io.portunus.media.sctp.SctpPacket.i32;
import static io.portunus.media.sctp.SctpPacket.u16;
import static io.portunus.media.sctp.SctpPacket.u32;
import static io.portunus.media.sctp.SctpPacket.u8;

/**
 * One SCTP association as WebRTC runs it over DTLS (RFC 8261): single-homed, no IP addresses,
 * ports from the SDP ({@code a=sctp-port}, 5000). Sans-IO: {@link #receive} takes a packet and
 * the caller's clock (ms), {@link #pollTransmit()} gives packets to send inside DTLS,
 * {@link #pollEvent()} gives what happened, {@link #handleTimeout} runs the timers whose
 * {@link #nextTimeout()} came. Not thread-safe: one thread drives it.
 *
 * <p>What it does: the four-way handshake with an HMAC-signed state cookie (either side may
 * start, collisions settle on the tags of the two INITs), DATA with fragmentation and
 * reassembly, SACK with gap blocks and duplicates, delayed acks, T3 and fast retransmit,
 * congestion and receiver windows ({@link SendQueue}), ordered and unordered delivery
 * ({@link ReceiveQueue}), partial reliability with FORWARD-TSN (RFC 3758), outgoing and incoming
 * stream resets (RFC 6525, how a data channel closes; {@link StreamResets}), HEARTBEAT answers,
 * ABORT and SHUTDOWN. INIT and INIT-ACK bodies are read and written by {@link InitChunk}.
 * Input that does not parse, fails its CRC32c or carries the wrong verification tag is counted
 * and dropped.
 */
public final class SctpAssociation {

    public enum State { CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, ENDED }

    /**
     * @param maxPacketSize  the largest SCTP packet, so that the DTLS record fits the path MTU
     * @param receiveBuffer  our receiver window (a_rwnd)
     * @param maxMessageSize the largest message we reassemble ({@code a=max-message-size})
     */
    public record Config(int localPort, int remotePort, int maxPacketSize, int receiveBuffer, int maxMessageSize) {
        public static Config webrtc() {
            return new Config(5000, 5000, 1100, 1 << 20, 262_144);
        }
    }

    private static final long NEVER = Long.MAX_VALUE;
    private static final int DELAYED_ACK_MILLIS = 200;
    private static final int MAX_INIT_RETRANSMITS = 8;
    private static final int MAX_ASSOCIATION_RETRANSMITS = 10;
    private static final int MAX_GAP_BLOCKS = 64;

    private final Config config;
    private final StateCookie cookies;
    private final long localTag;
    private final long localInitialTsn;
    private final ArrayDeque<byte[]> transmit = new ArrayDeque<>();
    private final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
    private final List<SctpEvent> delivered = new ArrayList<>();

    private State state = State.CLOSED;
    private long peerTag;
    private long peerInitialTsn;
    private boolean peerForwardTsn;
    private SendQueue send;
    private ReceiveQueue recv;
    /** Made with {@link #send} and {@link #recv}, once the peer's INIT or cookie is known. */
    private StreamResets resets;

    private long t1Deadline = NEVER;
    private int t1Count;
    private byte[] t1Packet;
    private long t3Deadline = NEVER;
    private int t3InARow;
    private long ackDeadline = NEVER;
    private boolean sackDue;
    private int dataPacketsUnacked;

    // counters (handle_info, the data medium's stats)
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long bytesOut;
    private long badPackets;

    public SctpAssociation(Config config, RandomGenerator random) {
        this.config = config;
        this.cookies = new StateCookie(random);
        long tag;
        do {
            tag = random.nextInt() & 0xFFFFFFFFL;
        } while (tag == 0);
        this.localTag = tag;
        this.localInitialTsn = random.nextInt() & 0xFFFFFFFFL;
    }

    // ---- the caller's side -----------------------------------------------------------------

    /** Starts the handshake (sends INIT). A passive side just waits for the peer's INIT. */
    public void connect(long now) {
        if (state != State.CLOSED) {
            return;
        }
        state = State.COOKIE_WAIT;
        PacketWriter w = writer(0);
        w.begin(SctpPacket.INIT, 0);
        InitChunk.writeBody(w, localTag, config.receiveBuffer(), localInitialTsn);
        w.end();
        t1Packet = w.finish();
        t1Count = 0;
        t1Deadline = now + SendQueue.RTO_INITIAL;
        emit(t1Packet);
    }

    public State state() {
        return state;
    }

    public boolean established() {
        return state == State.ESTABLISHED;
    }

    /** The next packet to send inside DTLS, or null. */
    public byte[] pollTransmit() {
        return transmit.poll();
    }

    public SctpEvent pollEvent() {
        return events.poll();
    }

    /** The earliest time {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long nextTimeout() {
        long resetDeadline = resets == null ? NEVER : resets.deadline();
        return Math.min(Math.min(t1Deadline, t3Deadline), Math.min(ackDeadline, resetDeadline));
    }

    /**
     * Queues a message. {@code maxRetransmits} (-1: no limit) and {@code lifetimeMillis}
     * (-1: none) make it partially reliable when the peer supports FORWARD-TSN.
     *
     * @return false when the association is not established
     */
    public boolean send(int stream, int ppid, byte[] data, boolean unordered, int maxRetransmits, long lifetimeMillis,
                        long now) {
        if (state != State.ESTABLISHED || data.length == 0 || stream < 0 || stream > 0xFFFF) {
            return false;
        }
        long expires = lifetimeMillis < 0 ? NEVER : now + lifetimeMillis;
        send.add(stream, ppid, data, unordered, maxRetransmits, expires, fragmentSize());
        flush(now);
        return true;
    }

    /** Bytes queued or in flight (a data channel's {@code bufferedAmount}). */
    public long bufferedAmount() {
        return send == null ? 0 : send.bufferedAmount();
    }

    /** Resets our outgoing streams once their queued data is out (closing data channels). */
    public void resetStreams(int[] streams, long now) {
        if (state != State.ESTABLISHED) {
            return;
        }
        resets.request(streams);
        flush(now);
    }

    /** Ends the association at once (ABORT). */
    public void abort(long now) {
        if (state == State.ESTABLISHED || state == State.COOKIE_ECHOED) {
            PacketWriter w = writer(peerTag);
            w.begin(SctpPacket.ABORT, 0).end();
            emit(w.finish());
        }
        end("aborted locally", false);
    }

    // ---- input -------------------------------------------------------------------------------

    /** A packet that came out of DTLS. Never throws on bad input. */
    public void receive(byte[] b, int off, int len, long now) {
        if (state == State.ENDED) {
            return;
        }
        if (!SctpPacket.valid(b, off, len) || u16(b, off) != config.remotePort() || u16(b, off + 2) != config.localPort()) {
            badPackets++;
            return;
        }
        packetsIn++;
        bytesIn += len;
        long vtag = u32(b, off + 4);
        boolean data = false;
        boolean duplicate = false;
        int pos = off + SctpPacket.HEADER;
        int endOfPacket = off + len;
        while (pos + 4 <= endOfPacket) {
            int type = u8(b, pos);
            int flags = u8(b, pos + 1);
            int chunkLength = u16(b, pos + 2);
            if (chunkLength < 4 || pos + chunkLength > endOfPacket) {
                badPackets++;
                break;
            }
            int v = pos + 4;
            int vlen = chunkLength - 4;
            if (type == SctpPacket.INIT) {
                if (vtag == 0 && pos == off + SctpPacket.HEADER) {
                    onInit(b, v, vlen, now);
                }
                break; // INIT is alone in its packet
            }
            boolean reflected = (flags & 1) != 0 && (type == SctpPacket.ABORT || type == SctpPacket.SHUTDOWN_COMPLETE);
            if (vtag != (reflected ? peerTag : localTag)) {
                badPackets++;
                return;
            }
            switch (type) {
                case SctpPacket.INIT_ACK -> onInitAck(b, v, vlen, now);
                case SctpPacket.COOKIE_ECHO -> onCookieEcho(b, v, vlen, now);
                case SctpPacket.COOKIE_ACK -> onCookieAck();
                case SctpPacket.DATA -> {
                    if (recv != null && state == State.ESTABLISHED && vlen > 12) {
                        data = true;
                        byte[] payload = Arrays.copyOfRange(b, v + 12, v + vlen);
                        duplicate |= !recv.data(u32(b, v), u16(b, v + 4), u16(b, v + 6), i32(b, v + 8), flags, payload,
                            delivered);
                    }
                }
                case SctpPacket.SACK -> onSack(b, v, vlen, now);
                case SctpPacket.FORWARD_TSN -> onForwardTsn(b, v, vlen);
                case SctpPacket.RE_CONFIG -> {
                    if (state == State.ESTABLISHED && !resets.onReconfig(b, v, vlen, now)) {
                        badPackets++;
                    }
                }
                case SctpPacket.HEARTBEAT -> {
                    if (peerTag != 0) {
                        PacketWriter w = writer(peerTag);
                        w.begin(SctpPacket.HEARTBEAT_ACK, 0).bytes(b, v, vlen).end();
                        emit(w.finish());
                    }
                }
                case SctpPacket.ABORT -> {
                    end("abort", true);
                    return;
                }
                case SctpPacket.SHUTDOWN -> {
                    PacketWriter w = writer(peerTag);
                    w.begin(SctpPacket.SHUTDOWN_ACK, 0).end();
                    emit(w.finish());
                    end("shutdown", true);
                    return;
                }
                case SctpPacket.SHUTDOWN_ACK -> {
                    PacketWriter w = writer(peerTag);
                    w.begin(SctpPacket.SHUTDOWN_COMPLETE, 0).end();
                    emit(w.finish());
                    end("shutdown", true);
                    return;
                }
                case SctpPacket.SHUTDOWN_COMPLETE -> {
                    end("shutdown", true);
                    return;
                }
                case SctpPacket.HEARTBEAT_ACK, SctpPacket.ERROR -> {
                    // we send no heartbeats; errors are only informative
                }
                default -> {
                    // RFC 4960 §3.2: the two high bits say whether to skip an unknown chunk
                    if ((type & 0x80) == 0) {
                        pos = endOfPacket;
                        continue;
                    }
                }
            }
            pos += SctpPacket.padded(chunkLength);
        }
        for (SctpEvent e : delivered) {
            events.add(e);
        }
        delivered.clear();
        if (data) {
            dataPacketsUnacked++;
            if (duplicate || recv.hasGaps() || dataPacketsUnacked >= 2) {
                sackDue = true;
            } else if (ackDeadline == NEVER) {
                ackDeadline = now + DELAYED_ACK_MILLIS;
            }
            resets.performDeferred();
        }
        flush(now);
    }

    /** Runs the timers that are due. */
    public void handleTimeout(long now) {
        if (t1Deadline <= now) {
            if (++t1Count > MAX_INIT_RETRANSMITS) {
                end("handshake timeout", true);
                return;
            }
            t1Deadline = now + Math.min(SendQueue.RTO_INITIAL << t1Count, SendQueue.RTO_MAX);
            emit(t1Packet);
        }
        if (ackDeadline <= now) {
            ackDeadline = NEVER;
            sackDue = true;
        }
        if (t3Deadline <= now) {
            t3Deadline = NEVER;
            if (++t3InARow > MAX_ASSOCIATION_RETRANSMITS) {
                end("too many retransmissions", true);
                return;
            }
            send.t3Expired(now);
        }
        if (resets != null) {
            resets.onTimeout(now);
        }
        flush(now);
    }

    // ---- handshake ---------------------------------------------------------------------------

    /** INIT: answered with INIT-ACK and a cookie, keeping no state (RFC 4960 §5.1). */
    private void onInit(byte[] b, int v, int vlen, long now) {
        InitChunk init = InitChunk.parse(b, v, vlen);
        if (init == null) {
            badPackets++;
            return;
        }
        byte[] cookie = cookies.make(new StateCookie.Content(init.tag(), localTag, init.initialTsn(), init.window(),
            init.outStreams(), init.inStreams(), init.forwardTsn()), now);
        PacketWriter w = writer(init.tag());
        w.begin(SctpPacket.INIT_ACK, 0);
        InitChunk.writeBody(w, localTag, config.receiveBuffer(), localInitialTsn);
        InitChunk.writeStateCookie(w, cookie);
        w.end();
        emit(w.finish());
    }

    private void onInitAck(byte[] b, int v, int vlen, long now) {
        if (state != State.COOKIE_WAIT) {
            return;
        }
        InitChunk init = InitChunk.parse(b, v, vlen);
        if (init == null || init.cookieOffset() < 0) {
            badPackets++;
            return;
        }
        setUp(init.tag(), init.initialTsn(), init.window(), init.forwardTsn());
        state = State.COOKIE_ECHOED;
        PacketWriter w = writer(peerTag);
        w.begin(SctpPacket.COOKIE_ECHO, 0).bytes(b, init.cookieOffset(), init.cookieLength()).end();
        t1Packet = w.finish();
        t1Count = 0;
        t1Deadline = now + SendQueue.RTO_INITIAL;
        emit(t1Packet);
    }

    private void onCookieEcho(byte[] b, int v, int vlen, long now) {
        StateCookie.Content c = cookies.open(b, v, vlen, now);
        if (c == null || c.localTag() != localTag) {
            badPackets++;
            return;
        }
        if (state == State.ESTABLISHED && c.peerTag() != peerTag) {
            return; // a peer restart: not supported, the DTLS session would be new anyway
        }
        if (state != State.ESTABLISHED) {
            if (send == null || peerTag != c.peerTag()) {
                setUp(c.peerTag(), c.peerInitialTsn(), c.peerWindow(), c.peerForwardTsn());
            }
            becomeEstablished();
        }
        PacketWriter w = writer(peerTag);
        w.begin(SctpPacket.COOKIE_ACK, 0).end();
        emit(w.finish());
    }

    private void onCookieAck() {
        if (state == State.COOKIE_ECHOED) {
            becomeEstablished();
        }
    }

    private void setUp(long tag, long initialTsn, long window, boolean forwardTsn) {
        peerTag = tag;
        peerInitialTsn = initialTsn;
        peerForwardTsn = forwardTsn;
        send = new SendQueue(localInitialTsn, window, config.maxPacketSize(), forwardTsn);
        recv = new ReceiveQueue(initialTsn, config.receiveBuffer(), config.maxMessageSize());
        resets = new StreamResets(localInitialTsn, initialTsn, send, recv, events);
    }

    private void becomeEstablished() {
        state = State.ESTABLISHED;
        t1Deadline = NEVER;
        t1Packet = null;
        events.add(new SctpEvent.Connected());
    }

    private void end(String reason, boolean tell) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        t1Deadline = t3Deadline = ackDeadline = NEVER;
        if (resets != null) {
            resets.stop();
        }
        if (tell) {
            events.add(new SctpEvent.Closed(reason));
        }
    }

    // ---- acks and forward TSN ----------------------------------------------------------------

    private void onSack(byte[] b, int v, int vlen, long now) {
        if (send == null || state != State.ESTABLISHED || vlen < 12) {
            return;
        }
        int gapCount = u16(b, v + 8);
        if (12 + 4 * gapCount > vlen) {
            badPackets++;
            return;
        }
        int[] gaps = new int[gapCount * 2];
        for (int i = 0; i < gapCount; i++) {
            gaps[2 * i] = u16(b, v + 12 + 4 * i);
            gaps[2 * i + 1] = u16(b, v + 14 + 4 * i);
        }
        boolean advanced = send.sack(u32(b, v), u32(b, v + 4), gaps, now);
        if (advanced) {
            t3InARow = 0;
        }
        if (!send.hasOutstanding()) {
            t3Deadline = NEVER;
        } else if (advanced) {
            t3Deadline = now + send.rto;
        }
        resets.startRequest();
    }

    private void onForwardTsn(byte[] b, int v, int vlen) {
        if (recv == null || state != State.ESTABLISHED || vlen < 4) {
            return;
        }
        int pairs = (vlen - 4) / 4;
        int[] streamSsn = new int[pairs * 2];
        for (int i = 0; i < pairs; i++) {
            streamSsn[2 * i] = u16(b, v + 4 + 4 * i);
            streamSsn[2 * i + 1] = u16(b, v + 6 + 4 * i);
        }
        recv.forwardTsn(u32(b, v), streamSsn, delivered);
        sackDue = true;
        resets.performDeferred();
    }

    // ---- output ------------------------------------------------------------------------------

    private int fragmentSize() {
        return config.maxPacketSize() - SctpPacket.HEADER - 16;
    }

    private PacketWriter writer(long vtag) {
        return new PacketWriter(config.maxPacketSize(), config.localPort(), config.remotePort(), vtag);
    }

    private void emit(byte[] packet) {
        packetsOut++;
        bytesOut += packet.length;
        transmit.add(packet);
    }

    /** Sends what is due: SACK, FORWARD-TSN, RE-CONFIG, retransmissions, then new data within the windows. */
    private void flush(long now) {
        if (state != State.ESTABLISHED) {
            return;
        }
        SendQueue.Chunk carried = null;
        while (true) {
            PacketWriter w = writer(peerTag);
            boolean sentData = false;
            if (sackDue) {
                writeSack(w);
            }
            if (send.forwardTsnDue()) {
                writeForwardTsn(w);
            }
            resets.write(w, now);
            if (carried != null) {
                writeData(w, carried, now);
                carried = null;
                sentData = true;
            }
            boolean full = false;
            for (SendQueue.Chunk c; (c = send.nextRetransmission(now)) != null && send.mayRetransmit(c); ) {
                if (w.remaining() < PacketWriter.chunkSize(12 + c.data.length)) {
                    full = true;
                    break;
                }
                writeData(w, c, now);
                sentData = true;
            }
            if (!full && send.nextRetransmission(now) == null) {
                for (SendQueue.Chunk c; w.remaining() > 16 && (c = send.nextNew(now)) != null; ) {
                    if (w.remaining() < PacketWriter.chunkSize(12 + c.data.length)) {
                        carried = c;
                        break;
                    }
                    writeData(w, c, now);
                    sentData = true;
                }
            }
            if (w.empty()) {
                break;
            }
            emit(w.finish());
            if (sentData && t3Deadline == NEVER) {
                t3Deadline = now + send.rto;
            }
            if (!sentData && carried == null) {
                break;
            }
        }
        if (send.hasOutstanding() && t3Deadline == NEVER) {
            t3Deadline = now + send.rto; // abandoned chunks wait for their FORWARD-TSN's ack
        }
    }

    private void writeData(PacketWriter w, SendQueue.Chunk c, long now) {
        w.begin(SctpPacket.DATA, c.flags()).u32(c.tsn & 0xFFFFFFFFL).u16(c.message.stream)
            .u16(c.message.unordered ? 0 : c.message.ssn).u32(c.ppid & 0xFFFFFFFFL)
            .bytes(c.data, 0, c.data.length).end();
        send.sent(c, now);
    }

    private void writeSack(PacketWriter w) {
        sackDue = false;
        ackDeadline = NEVER;
        dataPacketsUnacked = 0;
        List<int[]> gaps = recv.gapBlocks(MAX_GAP_BLOCKS);
        long[] dups = recv.takeDuplicates();
        w.begin(SctpPacket.SACK, 0).u32(recv.cumulativeTsn()).u32(recv.window()).u16(gaps.size()).u16(dups.length);
        for (int[] g : gaps) {
            w.u16(g[0]).u16(g[1]);
        }
        for (long d : dups) {
            w.u32(d);
        }
        w.end();
    }

    private void writeForwardTsn(PacketWriter w) {
        List<int[]> pairs = new ArrayList<>();
        long tsn = send.takeForwardTsn(pairs);
        int max = Math.min(pairs.size(), (w.remaining() - 8) / 4);
        w.begin(SctpPacket.FORWARD_TSN, 0).u32(tsn);
        for (int i = 0; i < max; i++) {
            w.u16(pairs.get(i)[0]).u16(pairs.get(i)[1]);
        }
        w.end();
    }

    // ---- what handle_info and the stats show ----------------------------------------------

    public record Stats(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long badPackets,
                        long retransmissions, long fastRetransmits, long t3Expiries, long abandonedMessages,
                        long duplicateChunks, long cwnd, long flight, long rttMillis, long peerWindow) {
    }

    public Stats stats() {
        SendQueue s = send;
        ReceiveQueue r = recv;
        return new Stats(packetsIn, bytesIn, packetsOut, bytesOut, badPackets,
            s == null ? 0 : s.retransmissions, s == null ? 0 : s.fastRetransmits, s == null ? 0 : s.t3Expiries,
            s == null ? 0 : s.abandonedMessages, r == null ? 0 : r.duplicateChunks, s == null ? 0 : s.cwnd,
            s == null ? 0 : s.flightSize(), s == null ? -1 : s.srttMillis(), s == null ? 0 : s.peerWindow);
    }

    long localTag() {
        return localTag;
    }

    @Override
    public String toString() {
        return "SctpAssociation[" + state + "]";
    }
}
