package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.sdp.Codec;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpSession;
import io.portunus.net.RtpForwardIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One forwarder on real loopback sockets: the packets a publisher's thread hands it arrive with
 * its payload type and SSRC, SRTP-protected when asked (and unprotected here with the same key),
 * the receiver's PLI on its RTCP port asks for a key frame, and a full queue drops and counts.
 */
class RtpForwarderTest {
    private final RtpForwardIo io = new RtpForwardIo(RtpForwardIo.DEFAULT_QUEUE);
    private final DatagramSocket receiver = bound();

    private static DatagramSocket bound() {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(3000);
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        receiver.close();
        io.close();
    }

    private static PublishedStream videoStream() {
        return new PublishedStream(null, 1, "1", true, new Codec("VP8", 90000, 1), 96, null, 97, List.of(), List.of(),
                0, false, null);
    }

    private InetSocketAddress target() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), receiver.getLocalPort());
    }

    private static byte[] rtp(int seq) {
        byte[] p = new byte[12 + 100];
        p[0] = (byte) 0x80;
        p[1] = 100;
        RtpHeader.sequence(p, 0, seq);
        RtpHeader.ssrc(p, 0, 0xabcdefL);
        Arrays.fill(p, 12, p.length, (byte) seq);
        return p;
    }

    private byte[] receive() throws Exception {
        DatagramPacket d = new DatagramPacket(new byte[2048], 2048);
        receiver.receive(d);
        return Arrays.copyOf(d.getData(), d.getLength());
    }

    @Test
    void plainRtpWithItsPayloadTypeAndSsrc() throws Exception {
        RtpForwarder f = new RtpForwarder(1, videoStream(), -1, "127.0.0.1", target(), 96, 2222, null, io, 0);
        io.prepare(InetAddress.getLoopbackAddress());
        byte[] sent = rtp(7);
        f.forward(sent, 0, sent.length, -1);
        byte[] got = receive();
        assertThat(got.length).isEqualTo(sent.length);
        assertThat(RtpHeader.payloadType(got, 0)).isEqualTo(96);
        assertThat(RtpHeader.ssrc(got, 0)).isEqualTo(2222);
        assertThat(RtpHeader.sequence(got, 0)).isEqualTo(7);
        assertThat(Arrays.copyOfRange(got, 12, got.length)).isEqualTo(Arrays.copyOfRange(sent, 12, sent.length));
        assertThat(RtpHeader.payloadType(sent, 0)).as("the publisher's packet is left as it was").isEqualTo(100);
        ObjectNode counted = f.describeWithCounters();
        assertThat(counted.path("packets").asLong()).isEqualTo(1);
        assertThat(counted.path("bytes").asLong()).isEqualTo(sent.length);
        assertThat(counted.path("dropped").asLong()).isZero();
    }

    @Test
    void srtpWithTheKeyOfTheRequest() throws Exception {
        SrtpKeys keys = ForwarderRequests.srtp(Json.object()
                .put("srtp_suite", 80).put("srtp_crypto", "WbTBosdVUZqEb6Htqhn+m3z7wUh4RJVR8nE15GbN"));
        RtpForwarder f = new RtpForwarder(2, videoStream(), -1, "127.0.0.1", target(), -1, -1, new SrtpSession(keys), io, 0);
        io.prepare(InetAddress.getLoopbackAddress());
        byte[] sent = rtp(9);
        f.forward(sent, 0, sent.length, -1);
        byte[] got = receive();
        assertThat(got.length).isEqualTo(sent.length + 10);
        assertThat(Arrays.copyOfRange(got, 12, sent.length)).isNotEqualTo(Arrays.copyOfRange(sent, 12, sent.length));
        int len = new SrtpSession(keys).unprotectRtp(got, 0, got.length);
        assertThat(len).isEqualTo(sent.length);
        assertThat(Arrays.copyOf(got, len)).isEqualTo(sent);
        assertThat(f.describe().path("srtp").asBoolean()).isTrue();
    }

    @Test
    void aPliOnTheRtcpPortAsksForAKeyFrame() throws Exception {
        int rtcpPort = receiver.getLocalPort();
        RtpForwarder f = new RtpForwarder(3, videoStream(), -1, "127.0.0.1",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), -1, -1, null, io, rtcpPort);
        CountDownLatch keyFrame = new CountDownLatch(1);
        f.openRtcp(keyFrame::countDown);
        // Its first datagram comes from its RTCP port, so the receiver knows where feedback goes.
        DatagramPacket hello = new DatagramPacket(new byte[64], 64);
        receiver.receive(hello);
        int local = f.describe().path("local_rtcp_port").asInt();
        assertThat(hello.getPort()).isEqualTo(local);
        assertThat(f.describe().path("remote_rtcp_port").asInt()).isEqualTo(rtcpPort);
        byte[] rr = {(byte) 0x80, (byte) Rtcp.RR, 0, 1, 0, 0, 0, 1};
        receiver.send(new DatagramPacket(rr, rr.length, InetAddress.getLoopbackAddress(), local));
        assertThat(keyFrame.await(300, TimeUnit.MILLISECONDS)).as("a receiver report asks for nothing").isFalse();
        byte[] pli = Rtcp.pli(1, 2);
        receiver.send(new DatagramPacket(pli, pli.length, InetAddress.getLoopbackAddress(), local));
        assertThat(keyFrame.await(3, TimeUnit.SECONDS)).isTrue();
        assertThat(f.describeWithCounters().path("keyframe-requests").asLong()).isEqualTo(1);
        f.close();
    }

    @Test
    void aFullQueueDropsAndCountsNeverWaits() throws Exception {
        RtpForwardIo tiny = new RtpForwardIo(4);
        try {
            tiny.prepare(InetAddress.getLoopbackAddress());
            RtpForwarder f = new RtpForwarder(4, videoStream(), -1, "127.0.0.1", target(), -1, -1, null, tiny, 0);
            byte[] p = rtp(1);
            for (int i = 0; i < 5_000; i++) {
                f.forward(p, 0, p.length, -1);
            }
            ObjectNode c = f.describeWithCounters();
            assertThat(c.path("packets").asLong() + c.path("dropped").asLong()).isEqualTo(5_000);
            assertThat(c.path("dropped").asLong()).isPositive();
        } finally {
            tiny.close();
        }
    }

    @Test
    void aSimulcastLayerForwarderTakesOnlyItsLayerAndAClosedOneNothing() throws Exception {
        RtpForwarder f = new RtpForwarder(5, videoStream(), 2, "127.0.0.1", target(), -1, -1, null, io, 0);
        io.prepare(InetAddress.getLoopbackAddress());
        byte[] p = rtp(3);
        f.forward(p, 0, p.length, 0);
        f.forward(p, 0, p.length, 1);
        f.forward(p, 0, p.length, 2);
        assertThat(RtpHeader.sequence(receive(), 0)).isEqualTo(3);
        f.close();
        f.forward(p, 0, p.length, 2);
        assertThat(f.describeWithCounters().path("packets").asLong()).isEqualTo(1);
        assertThat(f.describe().path("substream").asInt()).isEqualTo(2);
    }
}
