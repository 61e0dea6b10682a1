package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PCMU call's RTCP in the codec's 8 kHz clock (issue #12): the answer's codec sets the
 * stream's clock, the peer's packets go through the real {@link RtpReceiver} with arrival times
 * the test chooses, and the report {@link RtcpSender} writes carries an SR RTP time and an
 * RFC 3550 jitter in 8 kHz units, which handle_info shows in ms.
 */
class PcmuReportsTest {
    private static final long PEER_SSRC = 0x11223344L;
    private static final long OUR_SSRC = 0x55667788L;

    private static String answer(String formats, String rtpmap) {
        return "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF " + formats + "\r\nc=IN IP4 10.0.0.1\r\na=mid:0\r\na=sendrecv\r\n"
                + rtpmap;
    }

    private static int clockOf(String sdp, int pt) throws Exception {
        return SdpNegotiation.codecClockRate(Sdp.parse(sdp).media().get(0), pt, false);
    }

    @Test
    void narrowbandCodecsRunAtEightKilohertz() throws Exception {
        assertThat(clockOf(answer("0", "a=rtpmap:0 PCMU/8000\r\n"), 0)).isEqualTo(8000);
        assertThat(clockOf(answer("8", ""), 8)).as("PCMA without rtpmap (static)").isEqualTo(8000);
        assertThat(clockOf(answer("9", "a=rtpmap:9 G722/8000\r\n"), 9)).as("G722's RTP clock is 8 kHz").isEqualTo(8000);
        assertThat(clockOf(answer("111", "a=rtpmap:111 opus/48000/2\r\n"), 111)).isEqualTo(48000);
    }

    private static byte[] pcmu(int seq, long timestamp) {
        byte[] p = new byte[12 + 160];
        p[0] = (byte) 0x80;
        p[1] = 0; // PT 0 = PCMU
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        Rtcp.write32(p, 4, timestamp);
        Rtcp.write32(p, 8, PEER_SSRC);
        return p;
    }

    @Test
    void senderReportAndJitterOfAPcmuCallAreInItsClock() throws Exception {
        MediaStream stream = new MediaStream("0", 0, false, OUR_SSRC, 0);
        stream.remoteSsrc = PEER_SSRC;
        stream.payloadType = 0;
        stream.codec = "pcmu";
        stream.clockRate(clockOf(answer("0", "a=rtpmap:0 PCMU/8000\r\n"), 0));
        StreamTable streams = new StreamTable();
        streams.add(stream);
        List<MediaPacket> toPlugin = new ArrayList<>();
        RtpReceiver receiver = new RtpReceiver(new PeerConnection.Listener() {
            @Override
            public void onWebrtcUp() {
            }

            @Override
            public void onRtp(MediaPacket packet) {
                toPlugin.add(packet);
            }

            @Override
            public void onRtcp(MediaPacket packet) {
            }

            @Override
            public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) {
            }

            @Override
            public void onHangup(String reason) {
            }
        }, streams, new TransportCc(), null); // arrival times are given: no clock read

        // The peer sends a 20 ms frame (160 samples at 8 kHz) every 20 ms; the network delays
        // every other one by 4 ms more: |D| = 4 ms = 32 units at 8 kHz for each pair.
        long start = 5_000_000_000L;
        int packets = 400;
        for (int i = 0; i < packets; i++) {
            long arrival = start + i * 20_000L + (i % 2 == 0 ? 0 : 4_000);
            byte[] p = pcmu(1000 + i, 70_000L + 160L * i);
            receiver.receive(p, p.length, arrival);
        }
        assertThat(toPlugin).hasSize(packets);
        // J converges to |D| = 32 (J += (32 - J)/16 from 0: within 1 after ~70 packets).
        assertThat(stream.jitter.units()).isBetween(31L, 32L);
        assertThat(stream.jitter.millis()).as("jitter-local in ms (4 ms, floored)").isBetween(3L, 4L)
                .isEqualTo(stream.jitter.units() * 1000 / 8000);
        assertThat(stream.describe().at("/rtcp/main/base").asInt()).isEqualTo(8000);
        assertThat(stream.describe().at("/rtcp/main/jitter-local").asLong()).isEqualTo(stream.jitter.millis());

        // We echoed PCMU too: the last packet sent had RTP time 90,000 at t; a report 500 ms
        // later says 90,000 + 4,000 (8 kHz), not + 24,000 (48 kHz) or + 45,000 (90 kHz).
        long t = start + packets * 20_000L;
        stream.packetsOut = 400;
        stream.bytesOut = 400 * 172;
        stream.lastSentRtpTimestamp = 90_000;
        stream.lastSentMicros = t;
        byte[] report = RtcpSender.report(stream, t + 500_000, 3_000_000_000L, 0);
        assertThat(report[1] & 0xFF).as("a sender report").isEqualTo(Rtcp.SR);
        assertThat(Rtcp.read32(report, 4)).isEqualTo(OUR_SSRC);
        assertThat(Rtcp.read32(report, 16)).as("SR RTP timestamp").isEqualTo(94_000L);
        assertThat(report[0] & 0x1F).as("with one report block").isEqualTo(1);
        assertThat(Rtcp.read32(report, 28)).isEqualTo(PEER_SSRC);
        assertThat(Rtcp.read32(report, 28 + 8)).as("extended highest sequence").isEqualTo(1000L + packets - 1);
        assertThat(Rtcp.read32(report, 28 + 12)).as("interarrival jitter in 8 kHz units").isEqualTo(stream.jitter.units());

        // Steady arrivals: the jitter decays towards 0 (RFC 3550's 1/16 gain).
        for (int i = packets; i < packets + 200; i++) {
            byte[] p = pcmu(1000 + i, 70_000L + 160L * i);
            receiver.receive(p, p.length, start + i * 20_000L);
        }
        assertThat(stream.jitter.units()).isLessThan(2L);
    }
}
