package io.portunus.core.event;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * One medium's statistics in a media stats event (events.md §4.5), keys in Janus's order.
 * {@code rtp} is null for data channels, which only report packet and byte counts.
 *
 * @param media {@code audio}, {@code video}, {@code data}, {@code video-sim1}, {@code video-sim2}
 */
public record MediaStats(String mid, int mindex, String media, Rtp rtp, long packetsReceived, long packetsSent,
                         long bytesReceived, long bytesSent, Rates rates, Long rembBitrate) {

    /**
     * Audio/video quality figures. {@code rtt} is null on simulcast substreams (Janus reports
     * it for the main stream only); {@code rttValues} only when rtt > 0 (Janus 1.2+). The jitter
     * and link-quality figures are null, and left out of the event, until they were measured.
     */
    public record Rtp(String codec, int base, Integer rtt, RttValues rttValues, long lost, long lostByRemote,
                      Long jitterLocal, Long jitterRemote, Integer inLinkQuality, Integer inMediaLinkQuality,
                      Integer outLinkQuality, Integer outMediaLinkQuality) {
    }

    public record RttValues(long ntp, long lsr, long dlsr) {
    }

    /** Audio/video only: the last second's bytes, NACK and retransmission counts. */
    public record Rates(long bytesReceivedLastsec, long bytesSentLastsec, long nacksReceived, long nacksSent,
                        long retransmissionsReceived) {
    }

    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("mid", mid);
        g.writeNumberField("mindex", mindex);
        g.writeStringField("media", media);
        if (rtp != null) {
            if (rtp.codec() != null) {
                g.writeStringField("codec", rtp.codec());
            }
            g.writeNumberField("base", rtp.base());
            if (rtp.rtt() != null) {
                g.writeNumberField("rtt", rtp.rtt());
            }
            if (rtp.rttValues() != null) {
                g.writeObjectFieldStart("rtt-values");
                g.writeNumberField("ntp", rtp.rttValues().ntp());
                g.writeNumberField("lsr", rtp.rttValues().lsr());
                g.writeNumberField("dlsr", rtp.rttValues().dlsr());
                g.writeEndObject();
            }
            g.writeNumberField("lost", rtp.lost());
            g.writeNumberField("lost-by-remote", rtp.lostByRemote());
            writeIfMeasured(g, "jitter-local", rtp.jitterLocal());
            writeIfMeasured(g, "jitter-remote", rtp.jitterRemote());
            writeIfMeasured(g, "in-link-quality", rtp.inLinkQuality());
            writeIfMeasured(g, "in-media-link-quality", rtp.inMediaLinkQuality());
            writeIfMeasured(g, "out-link-quality", rtp.outLinkQuality());
            writeIfMeasured(g, "out-media-link-quality", rtp.outMediaLinkQuality());
        }
        g.writeNumberField("packets-received", packetsReceived);
        g.writeNumberField("packets-sent", packetsSent);
        g.writeNumberField("bytes-received", bytesReceived);
        g.writeNumberField("bytes-sent", bytesSent);
        if (rates != null) {
            g.writeNumberField("bytes-received-lastsec", rates.bytesReceivedLastsec());
            g.writeNumberField("bytes-sent-lastsec", rates.bytesSentLastsec());
            g.writeNumberField("nacks-received", rates.nacksReceived());
            g.writeNumberField("nacks-sent", rates.nacksSent());
            g.writeNumberField("retransmissions-received", rates.retransmissionsReceived());
        }
        if (rembBitrate != null) {
            g.writeNumberField("remb-bitrate", rembBitrate);
        }
        g.writeEndObject();
    }

    private static void writeIfMeasured(JsonGenerator g, String name, Number value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.longValue());
        }
    }
}
