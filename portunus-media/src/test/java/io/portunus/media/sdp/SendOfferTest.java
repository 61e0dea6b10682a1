package io.portunus.media.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SendOfferTest {

    private static LocalMedia local() throws SdpException {
        return LocalMedia.builder().ice("abcd", "0123456789012345678901")
                .fingerprint("AA:BB").setup(Setup.PASSIVE)
                .candidate(Candidate.parse("1 1 udp 2015363327 10.0.0.1 20000 typ host"))
                .endOfCandidates(true)
                .ssrc("0", 1111, -1).ssrc("1", 2222, 3333)
                .connectionAddress("10.0.0.1").session(42, 1).build();
    }

    @Test
    void sendOnlyLegsBundledWithActpassAndOurSsrcs() throws SdpException {
        var audio = new SendOffer.Leg("0", "audio", 111, new Codec("opus", 48000, 2), "minptime=10;useinbandfec=1", -1,
                List.of(), List.of(new Extmap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null)), "s a", true);
        var video = new SendOffer.Leg("1", "video", 96, new Codec("VP8", 90000, 0), null, 97,
                List.of("nack", "nack pli"), List.of(), "s v", true);
        Sdp offer = Sdp.parse(SendOffer.offer(List.of(audio, video), local(), "VideoRoom 1", 42, 1).write());

        assertThat(offer.bundleMids()).containsExactly("0", "1");
        assertThat(offer.fingerprint().value()).isEqualTo("AA:BB");
        MediaSection a = offer.media().get(0);
        MediaSection v = offer.media().get(1);
        assertThat(a.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(a.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(a.codec(111).name()).isEqualTo("opus");
        assertThat(a.fmtp(111)).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(a.extmapId("urn:ietf:params:rtp-hdrext:ssrc-audio-level")).isEqualTo(1);
        assertThat(a.mainSsrc()).isEqualTo(1111);
        assertThat(v.formats()).containsExactly("96", "97");
        assertThat(v.rtxPayloadTypeFor(96)).isEqualTo(97);
        assertThat(v.rtcpFb(96)).containsExactly("nack", "nack pli");
        assertThat(v.mainSsrc()).isEqualTo(2222);
        assertThat(v.rtxSsrcFor(2222)).isEqualTo(3333);
        assertThat(v.msid()).isEqualTo("s v");
        assertThat(v.candidates()).hasSize(1);
        assertThat(offer.iceUfrag()).isEqualTo("abcd");
        assertThat(offer.origin().sessionVersion()).isEqualTo("1");
    }

    @Test
    void aLegWhoseSourceWentIsInactiveAndStaysBundled() throws SdpException {
        var gone = new SendOffer.Leg("0", "audio", 111, new Codec("opus", 48000, 2), null, -1, List.of(), List.of(),
                "s a", false);
        Sdp offer = Sdp.parse(SendOffer.offer(List.of(gone), local(), "VideoRoom 1", 42, 2).write());
        assertThat(offer.media().get(0).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(offer.bundleMids()).containsExactly("0");
        assertThat(offer.origin().sessionVersion()).isEqualTo("2");
    }

    @Test
    void aDataLegIsTheDataChannelMLineJanusOffersSubscribers() throws SdpException {
        var audio = new SendOffer.Leg("0", "audio", 111, new Codec("opus", 48000, 2), null, -1, List.of(), List.of(),
                "s a", true);
        String text = SendOffer.offer(List.of(audio, SendOffer.Leg.data("1")), local(), "VideoRoom 1", 42, 1).write();
        Sdp offer = Sdp.parse(text);

        assertThat(offer.bundleMids()).containsExactly("0", "1");
        MediaSection d = offer.media().get(1);
        assertThat(d.type()).isEqualTo("application");
        assertThat(d.protocol()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(d.formats()).containsExactly("webrtc-datachannel");
        assertThat(d.mid()).isEqualTo("1");
        assertThat(d.direction()).isEqualTo(Direction.SENDONLY); // as Janus 1.1.2 writes it
        assertThat(d.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(d.candidates()).hasSize(1);
        // No RTP on it: no payload types, SSRCs or msid; the SCTP port and our message size limit.
        assertThat(text).contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n")
                .contains("a=sctp-port:5000\r\n").contains("a=max-message-size:262144\r\n");
        String section = text.substring(text.indexOf("m=application"));
        assertThat(section).doesNotContain("a=ssrc").doesNotContain("a=rtpmap").doesNotContain("a=msid")
                .doesNotContain("a=rtcp-mux");
    }
}
