package io.portunus.media.sctp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.portunus.media.sctp.SctpPacket.u16;
import static io.portunus.media.sctp.SctpPacket.u32;
import static io.portunus.media.sctp.SctpPacket.u8;

/**
 * The WebRTC data channels of one association: DCEP (RFC 8832) OPEN and ACK, the payload
 * protocol identifiers of RFC 8831 §8 (string, binary, and their empty forms), and closing by
 * stream reset (RFC 8831 §6.7). Sans-IO like the association it drives: {@link #pump} moves the
 * association's events into calls on the {@link Listener}, on the caller's thread.
 */
public final class DataChannels {
    public static final int PPID_DCEP = 50;
    public static final int PPID_STRING = 51;
    public static final int PPID_BINARY_PARTIAL = 52;
    public static final int PPID_BINARY = 53;
    public static final int PPID_STRING_PARTIAL = 54;
    public static final int PPID_STRING_EMPTY = 56;
    public static final int PPID_BINARY_EMPTY = 57;

    private static final int DCEP_ACK = 0x02;
    private static final int DCEP_OPEN = 0x03;

    /** What the channels tell their owner. */
    public interface Listener {
        default void connected() {
        }

        void opened(DataChannel channel);

        void message(DataChannel channel, byte[] data, boolean binary);

        void closed(DataChannel channel);

        default void associationClosed(String reason) {
        }
    }

    private final SctpAssociation association;
    private final boolean evenStreams;
    private final Listener listener;
    private final Map<Integer, DataChannel> channels = new LinkedHashMap<>();
    private int nextStream;
    private long dcepErrors;

    /**
     * @param dtlsClient the DTLS client uses even stream ids for the channels it opens, the
     *                   server odd ones (RFC 8832 §6)
     */
    public DataChannels(SctpAssociation association, boolean dtlsClient, Listener listener) {
        this.association = association;
        this.evenStreams = dtlsClient;
        this.listener = listener;
        this.nextStream = dtlsClient ? 0 : 1;
    }

    public SctpAssociation association() {
        return association;
    }

    public Collection<DataChannel> channels() {
        return Collections.unmodifiableCollection(channels.values());
    }

    public DataChannel byLabel(String label) {
        for (DataChannel c : channels.values()) {
            if (c.label().equals(label) && !c.closing) {
                return c;
            }
        }
        return null;
    }

    public long dcepErrors() {
        return dcepErrors;
    }

    /** Feeds a packet that came out of DTLS. */
    public void receive(byte[] b, int off, int len, long now) {
        association.receive(b, off, len, now);
        pump(now);
    }

    public void handleTimeout(long now) {
        association.handleTimeout(now);
        pump(now);
    }

    /** Hands the association's events to the listener. */
    public void pump(long now) {
        for (SctpEvent e; (e = association.pollEvent()) != null; ) {
            switch (e) {
                case SctpEvent.Connected c -> listener.connected();
                case SctpEvent.Message m -> onMessage(m, now);
                case SctpEvent.StreamsReset r -> onPeerReset(r.streams(), now);
                case SctpEvent.OutgoingReset r -> onOutgoingReset(r.streams());
                case SctpEvent.Closed c -> {
                    List<DataChannel> all = new ArrayList<>(channels.values());
                    channels.clear();
                    all.forEach(listener::closed);
                    listener.associationClosed(c.reason());
                }
            }
        }
    }

    /** Opens a channel of ours (DATA_CHANNEL_OPEN); null if no stream is free or not connected. */
    public DataChannel open(String label, String protocol, int type, long reliability, int priority, long now) {
        if (!association.established()) {
            return null;
        }
        int stream = nextStream;
        while (channels.containsKey(stream)) {
            stream += 2;
        }
        if (stream > 65534) {
            return null;
        }
        nextStream = stream + 2;
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        byte[] open = new byte[12 + l.length + p.length];
        open[0] = DCEP_OPEN;
        open[1] = (byte) type;
        SctpPacket.put16(open, 2, priority);
        SctpPacket.put32(open, 4, reliability);
        SctpPacket.put16(open, 8, l.length);
        SctpPacket.put16(open, 10, p.length);
        System.arraycopy(l, 0, open, 12, l.length);
        System.arraycopy(p, 0, open, 12 + l.length, p.length);
        DataChannel c = new DataChannel(stream, type, priority, reliability, label, protocol, false);
        channels.put(stream, c);
        association.send(stream, PPID_DCEP, open, false, -1, -1, now);
        return c;
    }

    /**
     * Sends a message on a channel; an empty one goes as the one-byte empty PPID (RFC 8831 §6.6).
     * Until the peer's ACK, messages go ordered (RFC 8832 §6).
     */
    public boolean send(DataChannel c, byte[] data, boolean binary, long now) {
        if (c.closing || channels.get(c.stream()) != c) {
            return false;
        }
        int ppid = data.length == 0 ? (binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY) : (binary ? PPID_BINARY : PPID_STRING);
        byte[] payload = data.length == 0 ? new byte[1] : data;
        boolean unordered = c.acked && c.unordered();
        if (!association.send(c.stream(), ppid, payload, unordered, c.maxRetransmits(), c.lifetimeMillis(), now)) {
            return false;
        }
        c.messagesOut++;
        c.bytesOut += data.length;
        return true;
    }

    /** Closes a channel: our outgoing stream is reset, the peer resets its own in turn. */
    public void close(DataChannel c, long now) {
        if (c.closing) {
            return;
        }
        c.closing = true;
        association.resetStreams(new int[] {c.stream()}, now);
    }

    private void onMessage(SctpEvent.Message m, long now) {
        DataChannel c = channels.get(m.stream());
        if (m.ppid() == PPID_DCEP) {
            onDcep(m, c, now);
            return;
        }
        if (c == null || c.closing) {
            return; // data for a channel never opened: dropped
        }
        c.acked = true; // RFC 8832 §6: data from the peer implies its ACK
        byte[] data = m.ppid() == PPID_STRING_EMPTY || m.ppid() == PPID_BINARY_EMPTY ? new byte[0] : m.data();
        boolean binary = m.ppid() == PPID_BINARY || m.ppid() == PPID_BINARY_EMPTY || m.ppid() == PPID_BINARY_PARTIAL;
        c.messagesIn++;
        c.bytesIn += data.length;
        listener.message(c, data, binary);
    }

    private void onDcep(SctpEvent.Message m, DataChannel existing, long now) {
        byte[] d = m.data();
        if (d.length == 1 && d[0] == DCEP_ACK) {
            if (existing != null) {
                existing.acked = true;
            }
            return;
        }
        if (d.length < 12 || d[0] != DCEP_OPEN) {
            dcepErrors++;
            return;
        }
        int labelLength = u16(d, 8);
        int protocolLength = u16(d, 10);
        if (12 + labelLength + protocolLength > d.length) {
            dcepErrors++;
            return;
        }
        if (existing != null && !existing.closing) {
            dcepErrors++; // an OPEN on a stream in use (RFC 8832 §6: a stream is used once at a time)
            return;
        }
        String label = new String(d, 12, labelLength, StandardCharsets.UTF_8);
        String protocol = new String(d, 12 + labelLength, protocolLength, StandardCharsets.UTF_8);
        DataChannel c = new DataChannel(m.stream(), u8(d, 1), u16(d, 2), u32(d, 4), label, protocol, true);
        channels.put(m.stream(), c);
        association.send(m.stream(), PPID_DCEP, new byte[] {DCEP_ACK}, false, -1, -1, now);
        listener.opened(c);
    }

    private void onPeerReset(int[] streams, long now) {
        List<Integer> ours = new ArrayList<>();
        for (int s : streams) {
            DataChannel c = channels.get(s);
            if (c == null) {
                continue;
            }
            c.incomingReset = true;
            if (!c.closing) {
                c.closing = true;
                ours.add(s); // the peer closed: we reset our side in answer
            } else if (c.outgoingReset) {
                gone(c);
            }
        }
        if (!ours.isEmpty()) {
            association.resetStreams(ours.stream().mapToInt(Integer::intValue).toArray(), now);
        }
    }

    /** Our side of these streams was reset: a channel whose peer side is reset too is gone. */
    private void onOutgoingReset(int[] streams) {
        for (int s : streams) {
            DataChannel c = channels.get(s);
            if (c != null && c.closing) {
                c.outgoingReset = true;
                if (c.incomingReset) {
                    gone(c);
                }
            }
        }
    }

    private void gone(DataChannel c) {
        channels.remove(c.stream());
        listener.closed(c);
    }
}
