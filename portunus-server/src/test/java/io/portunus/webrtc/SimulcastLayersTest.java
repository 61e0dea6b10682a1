package io.portunus.webrtc;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulcastLayersTest {

    private static final String RID_OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sendrecv",
            "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=rid:h send", "a=rid:m send", "a=rid:l send", "a=simulcast:send h;m;l", "");

    private static final String SIM_OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sendrecv",
            "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
            "a=ssrc-group:SIM 11 22 33", "a=ssrc-group:FID 11 111", "a=ssrc-group:FID 22 222",
            "a=ssrc:11 cname:x", "a=ssrc:111 cname:x", "a=ssrc:22 cname:x", "a=ssrc:222 cname:x", "a=ssrc:33 cname:x", "");

    /** An RTP packet with one one-byte extension element (id, ASCII value). */
    static byte[] withExtension(long ssrc, int id, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        int words = (1 + v.length + 3) / 4;
        byte[] p = new byte[12 + 4 + 4 * words + 4];
        p[0] = (byte) 0x90;
        p[1] = 96;
        RtpHeader.ssrc(p, 0, ssrc);
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = (byte) words;
        p[16] = (byte) ((id << 4) | (v.length - 1));
        System.arraycopy(v, 0, p, 17, v.length);
        return p;
    }

    @Test
    void ridLayersAreLearntFromTheExtensionHighToLowOrder() throws Exception {
        SimulcastLayers layers = SimulcastLayers.fromOffer(Sdp.parse(RID_OFFER).media().get(0));
        assertThat(layers).isNotNull();
        byte[] h = withExtension(0xA, 10, "h");
        byte[] l = withExtension(0xC, 10, "l");
        byte[] mRtx = withExtension(0xBB, 11, "m");
        assertThat(layers.learn(h, h.length, 0xA)).isEqualTo(2);
        assertThat(layers.learn(l, l.length, 0xC)).isZero();
        assertThat(layers.learn(mRtx, mRtx.length, 0xBB)).isEqualTo(1);
        assertThat(layers.layerOf(0xA)).isEqualTo(2);
        assertThat(layers.layerOf(0xC)).isZero();
        assertThat(layers.rtxLayerOf(0xBB)).isEqualTo(1);
        assertThat(layers.layerOf(0xBB)).isEqualTo(-1);
        // A second SSRC claiming a taken layer, an unknown rid, no extension: not learnt.
        byte[] other = withExtension(0xD, 10, "h");
        byte[] unknown = withExtension(0xE, 10, "x");
        byte[] bare = new byte[20];
        bare[0] = (byte) 0x80;
        assertThat(layers.learn(other, other.length, 0xD)).isEqualTo(-1);
        assertThat(layers.learn(unknown, unknown.length, 0xE)).isEqualTo(-1);
        assertThat(layers.learn(bare, bare.length, 0xF)).isEqualTo(-1);
    }

    @Test
    void legacySimGroupListsLayersLowToHighWithTheirRtx() throws Exception {
        SimulcastLayers layers = SimulcastLayers.fromOffer(Sdp.parse(SIM_OFFER).media().get(0));
        assertThat(layers.ssrc(0)).isEqualTo(11);
        assertThat(layers.ssrc(2)).isEqualTo(33);
        assertThat(layers.rtxSsrc(1)).isEqualTo(222);
        assertThat(layers.knownSsrcs()).containsExactlyInAnyOrder(11L, 111L, 22L, 222L, 33L);
    }

    @Test
    void noSimulcastWithoutRidExtensionOrSendList() throws Exception {
        String noExt = RID_OFFER.replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        assertThat(SimulcastLayers.fromOffer(Sdp.parse(noExt).media().get(0))).isNull();
        String plain = RID_OFFER.replaceAll("a=rid:.*\r\n", "").replace("a=simulcast:send h;m;l\r\n", "");
        assertThat(SimulcastLayers.fromOffer(Sdp.parse(plain).media().get(0))).isNull();
    }

    @Test
    void streamMapsLayerSsrcsToSubstreamsAndRtxToTheLayer() throws Exception {
        MediaStream stream = new MediaStream("1", 0, true, 1, 2);
        stream.simulcast = SimulcastLayers.fromOffer(Sdp.parse(SIM_OFFER).media().get(0));
        stream.remoteSsrc = 11;
        assertThat(stream.substreamOf(22)).isEqualTo(1);
        assertThat(stream.substreamOf(222)).isEqualTo(1);
        assertThat(stream.repairedSsrc(222)).isEqualTo(22);
        assertThat(stream.repairedSsrc(33)).isZero();
        assertThat(stream.remoteSsrcFor(2)).isEqualTo(33);
        assertThat(stream.remoteSsrcFor(-1)).isEqualTo(11);
        assertThat(stream.lossFor(1)).isNotSameAs(stream.lossFor(0));
        assertThat(stream.describe().path("ssrc").path("ssrc-peer-sim-2").asLong()).isEqualTo(33);
    }

    /**
     * Chrome probes bandwidth with RTX padding before the layer's media SSRC is known here (with
     * transport-cc): that packet must not be taken for the layer's media, or it seeds the layer's
     * loss tracking with the RTX sequence numbers and the real packets are dropped as old ones
     * (seen on 2026-12-05: a VideoRoom subscriber on substream 0 got nothing of layer 0).
     */
    @Test
    void anRtxPacketOfALayerWhoseMediaIsNotKnownYetIsNotTakenForItsMedia() throws Exception {
        MediaStream stream = new MediaStream("1", 0, true, 1, 2);
        stream.simulcast = SimulcastLayers.fromOffer(Sdp.parse(RID_OFFER).media().get(0));
        stream.payloadType = 96;
        stream.rtxPayloadType = 97;
        StreamTable streams = new StreamTable();
        streams.add(stream);
        List<MediaPacket> toPlugin = new ArrayList<>();
        RtpReceiver receiver = new RtpReceiver(new PeerConnection.Listener() {
            @Override public void onWebrtcUp() { }
            @Override public void onRtp(MediaPacket packet) { toPlugin.add(packet); }
            @Override public void onRtcp(MediaPacket packet) { }
            @Override public void onMediaState(String mid, boolean video, boolean receiving, Integer seconds) { }
            @Override public void onHangup(String reason) { }
        }, streams, new TransportCc(), null);
        long now = 1_000_000;
        // The probe: layer l's RTX SSRC, repaired-rid "l", sequence numbers far ahead of the media's.
        byte[] probe = withExtension(0xCC, 11, "l");
        probe[1] = 97;
        RtpHeader.sequence(probe, 0, 30_000);
        receiver.receive(probe, probe.length, now);
        assertThat(toPlugin).isEmpty();
        for (int i = 0; i < 5; i++) {
            byte[] media = withExtension(0xC, 10, "l");
            RtpHeader.sequence(media, 0, 100 + i);
            receiver.receive(media, media.length, now + 1000 * (i + 1));
        }
        assertThat(toPlugin).hasSize(5).allMatch(p -> p.substream() == 0);
        assertThat(stream.remoteSsrc).isEqualTo(0xC);
        assertThat(stream.remoteRtxSsrc).isEqualTo(0xCC);
    }
}
