package io.portunus.webrtc;

import io.portunus.media.rtp.LossDetector;
import io.portunus.media.rtp.RtpExtensions;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Rid;
import io.portunus.media.sdp.Simulcast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The simulcast layers a peer sends on one video m-line, substream 0 the lowest: which SSRC
 * (and RTX SSRC) is which layer, and each layer's loss tracking. Layers are known from the
 * offer's legacy {@code a=ssrc-group:SIM} (SSRCs low to high, as Chrome's munged SDP lists
 * them), or learnt from the {@code rtp-stream-id} / {@code repaired-rtp-stream-id} header
 * extensions (RFC 8852) for rid-based simulcast, whose {@code a=simulcast} lists the rids
 * high to low (Janus's default {@code rid_order} "hml", what janus.js sends). Only touched on
 * the PeerConnection's I/O thread.
 */
final class SimulcastLayers {
    static final int MAX_LAYERS = 3;

    /** rid of each substream (index 0 = lowest), or null for SSRC-based simulcast. */
    private final List<String> rids;
    private final int ridExtId;
    private final int repairedRidExtId;
    private final long[] ssrcs = new long[MAX_LAYERS];
    private final long[] rtxSsrcs = new long[MAX_LAYERS];
    /** Layers 1 and 2; layer 0 uses the stream's own detector. */
    private final LossDetector[] losses = {null, new LossDetector(), new LossDetector()};

    private SimulcastLayers(List<String> rids, int ridExtId, int repairedRidExtId) {
        this.rids = rids;
        this.ridExtId = ridExtId;
        this.repairedRidExtId = repairedRidExtId;
    }

    /** The layers an offered video m-line announces, or null without (usable) simulcast. */
    static SimulcastLayers fromOffer(MediaSection m) {
        List<Long> sim = m.simulcastSsrcs();
        if (sim.size() > 1) {
            SimulcastLayers layers = new SimulcastLayers(null, -1, -1);
            for (int i = 0; i < Math.min(sim.size(), MAX_LAYERS); i++) {
                layers.ssrcs[i] = sim.get(i);
                layers.rtxSsrcs[i] = Math.max(0, m.rtxSsrcFor(sim.get(i)));
            }
            return layers;
        }
        Simulcast sc = m.simulcast();
        int ridExt = m.extmapId(AnswerOptions.RID);
        if (sc == null || sc.send().size() < 2 || ridExt <= 0) {
            return null;
        }
        List<String> sendRids = new ArrayList<>();
        for (Rid r : m.rids()) {
            if ("send".equals(r.direction())) {
                sendRids.add(r.id());
            }
        }
        List<String> highToLow = new ArrayList<>(Simulcast.ridIds(sc.send()));
        highToLow.removeIf(id -> !sendRids.contains(id));
        if (highToLow.size() < 2) {
            return null;
        }
        List<String> lowToHigh = new ArrayList<>(highToLow.subList(0, Math.min(highToLow.size(), MAX_LAYERS)));
        Collections.reverse(lowToHigh);
        return new SimulcastLayers(List.copyOf(lowToHigh), ridExt, m.extmapId(AnswerOptions.REPAIRED_RID));
    }

    /** The substream of a media SSRC, or -1. */
    int layerOf(long ssrc) {
        for (int i = 0; i < MAX_LAYERS; i++) {
            if (ssrcs[i] == ssrc && ssrc != 0) {
                return i;
            }
        }
        return -1;
    }

    /** The substream of an RTX SSRC, or -1. */
    int rtxLayerOf(long ssrc) {
        for (int i = 0; i < MAX_LAYERS; i++) {
            if (rtxSsrcs[i] == ssrc && ssrc != 0) {
                return i;
            }
        }
        return -1;
    }

    long ssrc(int layer) {
        return layer >= 0 && layer < MAX_LAYERS ? ssrcs[layer] : 0;
    }

    long rtxSsrc(int layer) {
        return layer >= 0 && layer < MAX_LAYERS ? rtxSsrcs[layer] : 0;
    }

    /** Every SSRC already known, media and RTX, for the stream lookup. */
    List<Long> knownSsrcs() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < MAX_LAYERS; i++) {
            if (ssrcs[i] != 0) {
                out.add(ssrcs[i]);
            }
            if (rtxSsrcs[i] != 0) {
                out.add(rtxSsrcs[i]);
            }
        }
        return out;
    }

    LossDetector loss(int layer) {
        return losses[layer];
    }

    /**
     * Learns an SSRC not seen before from its rid or repaired-rid extension. Returns the
     * substream, or -1 when the packet names no rid of ours (or the SSRC is taken).
     */
    int learn(byte[] data, int len, long ssrc) {
        if (rids == null || ssrc == 0) {
            return -1;
        }
        String rid = RtpExtensions.string(data, 0, len, ridExtId);
        boolean repair = false;
        if (rid == null && repairedRidExtId > 0) {
            rid = RtpExtensions.string(data, 0, len, repairedRidExtId);
            repair = true;
        }
        int layer = rid == null ? -1 : rids.indexOf(rid);
        if (layer < 0) {
            return -1;
        }
        long[] table = repair ? rtxSsrcs : ssrcs;
        if (table[layer] != 0 && table[layer] != ssrc) {
            return -1; // the layer already has an SSRC: a new one would need a renegotiation
        }
        table[layer] = ssrc;
        return layer;
    }
}
