package io.portunus.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.event.MediaStats;

/**
 * One medium's figures from one media stats event, kept compact (a few hundred of these per
 * handle feed the handle page's plots). The dashboard's script derives the same keys from the
 * stats events of the live feed, so both ends of a plot look alike.
 */
record StatsSample(long atMillis, String media, long inBps, long outBps, long lost, long lostByRemote,
                   long rttMs, long jitterMs, long nacksIn, long nacksOut) {

    static StatsSample of(long timestampMicros, MediaStats s) {
        MediaStats.Rtp rtp = s.rtp();
        MediaStats.Rates rates = s.rates();
        return new StatsSample(timestampMicros / 1000, s.media(),
                rates == null ? 0 : rates.bytesReceivedLastsec() * 8,
                rates == null ? 0 : rates.bytesSentLastsec() * 8,
                rtp == null ? 0 : rtp.lost(),
                rtp == null ? 0 : rtp.lostByRemote(),
                rtp == null || rtp.rtt() == null ? -1 : rtp.rtt(),
                rtp == null || rtp.jitterLocal() == null ? -1 : rtp.jitterLocal(),
                rates == null ? 0 : rates.nacksReceived(),
                rates == null ? 0 : rates.nacksSent());
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("t", atMillis);
        o.put("media", media);
        o.put("in_bps", inBps);
        o.put("out_bps", outBps);
        o.put("lost", lost);
        o.put("lost_by_remote", lostByRemote);
        if (rttMs >= 0) {
            o.put("rtt", rttMs);
        }
        if (jitterMs >= 0) {
            o.put("jitter", jitterMs);
        }
        o.put("nacks_in", nacksIn);
        o.put("nacks_out", nacksOut);
        return o;
    }
}
