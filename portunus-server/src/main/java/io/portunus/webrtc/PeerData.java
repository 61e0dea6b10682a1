package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.event.MediaStats;
import io.portunus.media.dtls.DtlsRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A PeerConnection's data channels: the SCTP association over its DTLS, made when the peer's
 * first SCTP packet arrives (a call without data channels never has one). Only the
 * PeerConnection's loop touches it; {@link #send} may be called from any thread.
 */
final class PeerData {
    private static final Logger LOG = LoggerFactory.getLogger(PeerData.class);

    private final MediaIo io;
    private final DtlsSrtp dtlsSrtp;
    private final PeerConnection.Listener listener;
    private final PathErrors errors;
    private final AtomicBoolean closed;
    private DataChannelLink link;

    PeerData(MediaIo io, DtlsSrtp dtlsSrtp, PeerConnection.Listener listener, PathErrors errors, AtomicBoolean closed) {
        this.io = io;
        this.dtlsSrtp = dtlsSrtp;
        this.listener = listener;
        this.errors = errors;
        this.closed = closed;
    }

    /** An SCTP packet out of DTLS, on the loop. */
    void received(byte[] packet) {
        if (closed.get()) {
            return;
        }
        if (link == null) {
            link = new DataChannelLink(dtlsSrtp.role() == DtlsRole.CLIENT, new DataChannelLink.Output() {
                @Override
                public boolean sendDtls(byte[] p) {
                    return dtlsSrtp.sendApplicationData(p);
                }

                @Override
                public void message(String label, byte[] data, boolean binary) {
                    listener.onData(label, data, binary);
                }
            });
        }
        try {
            link.receive(packet, io.nowMicros() / 1000);
        } catch (RuntimeException e) {
            errors.packetExceptions++;
            LOG.debug("Dropping an SCTP packet that failed processing: {}", e.toString());
        }
    }

    /** A message from the plugin (any thread), on the channel with this label. */
    void send(String label, byte[] data, boolean binary) {
        Runnable send = () -> {
            if (link != null && !closed.get()) {
                link.send(label, data, binary, io.nowMicros() / 1000);
            }
        };
        if (io.inLoop()) {
            send.run();
        } else {
            io.execute(send);
        }
    }

    /** The PeerConnection's tick (retransmission and delayed-ack timers), on the loop. */
    void tick(long nowMicros) {
        if (link != null) {
            link.tick(nowMicros / 1000);
        }
    }

    /**
     * The data medium's statistics, or null without data channels; {@code medium} gives {mid, mindex}
     * (or null), asked only when there are channels since it reads the remote SDP.
     */
    MediaStats stats(Supplier<String[]> medium) {
        DataChannelLink l = link;
        String[] m = l == null ? null : medium.get();
        return m == null ? null : l.stats(m[0], Integer.parseInt(m[1]));
    }

    /** The data medium in {@code handle_info}'s {@code media}, under its mid, when there are channels. */
    void describeInto(ObjectNode media, Supplier<String[]> medium) {
        DataChannelLink l = link;
        String[] m = l == null ? null : medium.get();
        if (m != null) {
            media.set(m[0], l.describe(m[0], Integer.parseInt(m[1])));
        }
    }

    /** {@code handle_info}'s {@code dtls.sctp-association}. */
    boolean established() {
        DataChannelLink l = link;
        return l != null && l.established();
    }
}
