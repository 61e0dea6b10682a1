package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.MediaStats;
import io.portunus.media.sctp.DataChannel;
import io.portunus.media.sctp.DataChannels;
import io.portunus.media.sctp.SctpAssociation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;

/**
 * The data channels of one PeerConnection: the SCTP association (sans-IO, in portunus-media)
 * fed with the DTLS application records and the loop's clock, its packets sent back inside
 * DTLS, and the channels' messages handed to the plugin. Everything runs on the
 * PeerConnection's loop; the browser starts the association (every browser sends INIT).
 */
final class DataChannelLink implements DataChannels.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(DataChannelLink.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the link's packets go and its messages come out. */
    interface Output {
        boolean sendDtls(byte[] packet);

        void message(String label, byte[] data, boolean binary);
    }

    private final SctpAssociation association;
    private final DataChannels channels;
    private final Output output;
    private long packetsIn;
    private long bytesIn;
    private long packetsOut;
    private long bytesOut;

    DataChannelLink(boolean dtlsClient, Output output) {
        this.association = new SctpAssociation(SctpAssociation.Config.webrtc(), RANDOM);
        this.channels = new DataChannels(association, dtlsClient, this);
        this.output = output;
    }

    /** An SCTP packet out of DTLS. */
    void receive(byte[] packet, long nowMillis) {
        packetsIn++;
        bytesIn += packet.length;
        channels.receive(packet, 0, packet.length, nowMillis);
        flush();
    }

    /** The loop's tick: timers that came due. */
    void tick(long nowMillis) {
        if (association.nextTimeout() <= nowMillis) {
            channels.handleTimeout(nowMillis);
            flush();
        }
    }

    /**
     * Sends on the channel with this label, opening one (reliable, ordered) when there is none,
     * as Janus does when a plugin relays data on a label the peer never opened.
     */
    void send(String label, byte[] data, boolean binary, long nowMillis) {
        DataChannel c = channels.byLabel(label);
        if (c == null) {
            c = channels.open(label, "", DataChannel.RELIABLE, 0, 0, nowMillis);
        }
        if (c != null) {
            channels.send(c, data, binary, nowMillis);
        }
        flush();
    }

    boolean established() {
        return association.established();
    }

    void close(long nowMillis) {
        association.abort(nowMillis);
        flush();
    }

    private void flush() {
        for (byte[] p; (p = association.pollTransmit()) != null; ) {
            if (output.sendDtls(p)) {
                packetsOut++;
                bytesOut += p.length;
            }
        }
    }

    @Override
    public void opened(DataChannel channel) {
        LOG.debug("Data channel {} opened", channel);
    }

    @Override
    public void message(DataChannel channel, byte[] data, boolean binary) {
        output.message(channel.label(), data, binary);
    }

    @Override
    public void closed(DataChannel channel) {
        LOG.debug("Data channel {} closed", channel);
    }

    /** The data medium in a media stats event (type 32): SCTP packets and bytes both ways, as Janus 1.1.2. */
    MediaStats stats(String mid, int mindex) {
        return new MediaStats(mid, mindex, "data", null, packetsIn, packetsOut, bytesIn, bytesOut, null, null);
    }

    /** The data medium's entry in handle_info's {@code media} (as Janus 1.1.2: SCTP packets both ways). */
    ObjectNode describe(String mid, int mindex) {
        ObjectNode m = Json.object();
        m.put("type", "data");
        m.put("mindex", mindex);
        m.put("mid", mid);
        ObjectNode stats = m.putObject("stats");
        ObjectNode in = stats.putObject("in");
        in.put("packets", packetsIn);
        in.put("bytes", bytesIn);
        ObjectNode out = stats.putObject("out");
        out.put("packets", packetsOut);
        out.put("bytes", bytesOut);
        return m;
    }
}
