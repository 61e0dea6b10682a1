package io.portunus.media.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SdpRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROMIUM_OFFER, Fixtures.JANUS_ANSWER, Fixtures.JANUS_VIDEOROOM_OFFER,
        Fixtures.CHROMIUM_RECVONLY_ANSWER, Fixtures.FIREFOX_OFFER})
    void writesBackExactlyWhatItParsed(String name) throws SdpException {
        String text = Fixtures.read(name);
        Sdp sdp = Sdp.parse(text);
        assertThat(sdp.write()).isEqualTo(text);
        // and again, from its own output
        assertThat(Sdp.parse(sdp.write()).write()).isEqualTo(text);
    }

    @Test
    void acceptsLfLineEndingsAndWritesCrlf() throws SdpException {
        String crlf = Fixtures.read(Fixtures.CHROMIUM_OFFER);
        String lf = crlf.replace("\r\n", "\n");
        assertThat(Sdp.parse(lf).write()).isEqualTo(crlf);
    }

    @Test
    void chromiumOfferSessionLevel() {
        Sdp sdp = Fixtures.parse(Fixtures.CHROMIUM_OFFER);
        assertThat(sdp.origin()).isEqualTo(new Origin("-", "16616471590557325", "2", "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        assertThat(sdp.extmapAllowMixed()).isTrue();
        assertThat(sdp.msidSemantic()).isEqualTo("WMS d8a793b7-0fff-4be5-b26e-0a44d0969625");
        // per m-line in the offer, found through the first m-line
        assertThat(sdp.iceUfrag()).isEqualTo("/uNR");
        assertThat(sdp.icePwd()).isEqualTo("ij9Cl5srgALGdXXthmIjxcYj");
        assertThat(sdp.fingerprint()).isEqualTo(new Fingerprint("sha-256",
                "1A:F8:DE:4F:F4:08:01:3D:DC:04:A9:1B:37:FB:F3:D8:7A:02:BF:B6:E0:49:27:50:CE:E4:AB:35:E4:DA:A5:FD"));
        assertThat(sdp.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(sdp.media()).extracting(MediaSection::type).containsExactly("audio", "video");
    }

    @Test
    void chromiumOfferAudio() {
        MediaSection audio = Fixtures.parse(Fixtures.CHROMIUM_OFFER).media().get(0);
        assertThat(audio.port()).isEqualTo(9);
        assertThat(audio.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.connectionAddress()).isEqualTo("0.0.0.0");
        assertThat(audio.rtpmaps().get(111)).isEqualTo(new Codec("opus", 48000, 2));
        assertThat(audio.rtpmaps().get(0)).isEqualTo(new Codec("PCMU", 8000, 0));
        assertThat(audio.fmtp(111)).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.rtcpFb(111)).containsExactly("transport-cc");
        assertThat(audio.payloadTypeFor("OPUS")).isEqualTo(111);
        assertThat(audio.payloadTypeFor("telephone-event")).isEqualTo(110);
        assertThat(audio.payloadTypeFor("vp8")).isEqualTo(-1);
        assertThat(audio.extmaps()).extracting(Extmap::id).containsExactly(1, 2, 3, 4);
        assertThat(audio.extmapId(AnswerOptions.MID)).isEqualTo(4);
        assertThat(audio.extmapId(AnswerOptions.RID)).isEqualTo(-1);
        assertThat(audio.mainSsrc()).isEqualTo(2117622515L);
        assertThat(audio.rtxSsrcFor(2117622515L)).isEqualTo(-1);
        assertThat(audio.ssrcs().get(2117622515L)).containsEntry("cname", "zwe+ofhMQH2X93Xr")
                .containsEntry("msid", "d8a793b7-0fff-4be5-b26e-0a44d0969625 8708286b-af44-46f2-ae07-25c02eece35b");
        assertThat(audio.msid()).isEqualTo(
                "d8a793b7-0fff-4be5-b26e-0a44d0969625 8708286b-af44-46f2-ae07-25c02eece35b");
        assertThat(audio.unmodeledAttributes()).extracting(Attribute::name)
                .containsExactly("rtcp", "ice-options", "rtcp-rsize", "rtcp-xr");
        assertThat(audio.candidates()).isEmpty();
        assertThat(audio.endOfCandidates()).isFalse();
    }

    @Test
    void chromiumOfferVideo() {
        MediaSection video = Fixtures.parse(Fixtures.CHROMIUM_OFFER).media().get(1);
        assertThat(video.formats()).hasSize(23).startsWith("96", "97", "102");
        assertThat(video.payloadTypeFor("VP8")).isEqualTo(96);
        assertThat(video.rtxPayloadTypeFor(96)).isEqualTo(97);
        assertThat(video.rtxPayloadTypeFor(45)).isEqualTo(46);
        assertThat(video.rtxPayloadTypeFor(120)).isEqualTo(-1); // ulpfec has no rtx
        assertThat(video.rtcpFb(96)).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.rtcpFb().keySet()).doesNotContain("97");
        assertThat(video.fmtp(102)).isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(1926207322L, 572586335L)));
        assertThat(video.mainSsrc()).isEqualTo(1926207322L);
        assertThat(video.rtxSsrcFor(1926207322L)).isEqualTo(572586335L);
        assertThat(video.simulcastSsrcs()).isEmpty();
        assertThat(video.extmapId(AnswerOptions.VIDEO_ORIENTATION)).isEqualTo(13);
        assertThat(video.rids()).isEmpty();
        assertThat(video.simulcast()).isNull();
    }

    @Test
    void firefoxOfferSessionLevelTransportAndSimulcast() {
        Sdp sdp = Fixtures.parse(Fixtures.FIREFOX_OFFER);
        assertThat(sdp.fingerprint().hash()).isEqualTo("sha-256");
        assertThat(sdp.iceOptions()).containsExactly("trickle");
        assertThat(sdp.msidSemantic()).isEqualTo("WMS *");
        assertThat(sdp.extmapAllowMixed()).isFalse();
        assertThat(sdp.bundleMids()).containsExactly("0", "1", "2");
        MediaSection audio = sdp.media().get(0);
        // the fingerprint is only at session level: the section falls back to it (RFC 8122 §5)
        assertThat(audio.fingerprint()).isEqualTo(sdp.fingerprint());
        assertThat(audio.iceUfrag()).isEqualTo("4f1a9c2e");
        assertThat(audio.candidates()).hasSize(4);
        assertThat(audio.candidates().get(1).tcpType()).isEqualTo("active");
        assertThat(audio.endOfCandidates()).isTrue();
        assertThat(audio.extmaps().get(1)).isEqualTo(
                new Extmap(2, Direction.RECVONLY, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(audio.codec(9)).isEqualTo(new Codec("G722", 8000, 1));
        MediaSection video = sdp.media().get(1);
        assertThat(video.rids()).containsExactly(new Rid("h", "send", null), new Rid("m", "send", null),
                new Rid("l", "send", null));
        assertThat(video.simulcast().send()).containsExactly(List.of("h"), List.of("m"), List.of("l"));
        assertThat(video.simulcast().recv()).isEmpty();
        assertThat(video.rtxSsrcFor(2222222222L)).isEqualTo(2222222223L);
        assertThat(video.mainSsrc()).isEqualTo(1111111111L);
        MediaSection data = sdp.media().get(2);
        assertThat(data.isRtp()).isFalse();
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.attribute("sctp-port")).isEqualTo("5000");
        assertThat(data.unmodeledAttributes()).extracting(Attribute::name)
                .containsExactly("sctp-port", "max-message-size");
    }

    @Test
    void recvonlyAnswerFromChromium() {
        Sdp sdp = Fixtures.parse(Fixtures.CHROMIUM_RECVONLY_ANSWER);
        assertThat(sdp.setup()).isEqualTo(Setup.ACTIVE);
        assertThat(sdp.msidSemantic()).isEqualTo("WMS");
        assertThat(sdp.media()).extracting(MediaSection::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY);
        assertThat(sdp.media().get(0).mainSsrc()).isEqualTo(-1);
    }

    @Test
    void sessionLevelDirectionAppliesToSectionsWithout() throws SdpException {
        Sdp sdp = Sdp.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=recvonly\r\n"
                + "m=audio 9 RTP/AVP 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n");
        assertThat(sdp.media()).extracting(MediaSection::direction)
                .containsExactly(Direction.RECVONLY, Direction.INACTIVE);
    }

    @Test
    void buildsInRfcOrderAndEditsInPlace() throws SdpException {
        Sdp sdp = new Sdp(new Origin("-", "42", "1", "IN", "IP4", "10.0.0.1"), null);
        sdp.addAttribute("group", "BUNDLE a");
        sdp.addLine('c', "IN IP4 10.0.0.1"); // goes before t=, not after the attributes
        MediaSection m = new MediaSection("audio", 9, "UDP/TLS/RTP/SAVPF", List.of("0"));
        m.addAttribute("mid", "a");
        m.addAttribute("sendonly", null);
        m.addLine('c', "IN IP4 10.0.0.1");
        sdp.addMedia(m);
        m.setDirection(Direction.INACTIVE);
        assertThat(sdp.write()).isEqualTo("v=0\r\no=- 42 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "a=group:BUNDLE a\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 10.0.0.1\r\na=mid:a\r\na=inactive\r\n");
        assertThat(Sdp.parse(sdp.write()).write()).isEqualTo(sdp.write());
        assertThat(m.removeAttributes("mid")).isEqualTo(1);
        assertThat(m.mid()).isNull();
        assertThat(sdp.connectionAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void portCountAndUnknownLinesSurvive() throws SdpException {
        String text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nt=0 0\r\nx=unknown\r\n"
                + "m=video 5004/2 RTP/AVP 96\r\nb=AS:512\r\na=rtpmap:96 VP8/90000\r\na=foo:bar baz\r\na=flag\r\n";
        Sdp sdp = Sdp.parse(text);
        assertThat(sdp.write()).isEqualTo(text);
        MediaSection m = sdp.media().get(0);
        assertThat(m.portCount()).isEqualTo(2);
        assertThat(m.line('b')).isEqualTo("AS:512");
        assertThat(m.unmodeledAttributes()).containsExactly(new Attribute("foo", "bar baz"), new Attribute("flag", null));
        assertThat(m.rtcpFb()).isEqualTo(Map.of());
    }
}
