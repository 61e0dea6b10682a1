package io.portunus.media.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EchoAnswerTest {

    /** The values Janus used in the fixture answer, so the whole text can be compared. */
    private static LocalMedia janusFixtureLocal() throws SdpException {
        return LocalMedia.builder()
                .ice("nJhl", "0G05Gph37ETam7p85W4XDY")
                .fingerprint("76:12:B7:B4:82:FC:A5:11:5E:29:30:B5:E9:E4:E2:DB:8B:8C:E6:61:7C:51:40:83:9C:53:D2:E9:C8:EA:B4:16")
                .candidate(Candidate.parse("1 1 udp 2015363327 10.77.0.1 20131 typ host"))
                .endOfCandidates(true)
                .ssrc("0", 256730104L, -1)
                .ssrc("1", 1010870368L, 684747105L)
                .connectionAddress("10.77.0.1")
                .build();
    }

    private static LocalMedia otherLocal() throws SdpException {
        return LocalMedia.builder()
                .ice("abcd", "0123456789abcdef012345")
                .fingerprint("AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99")
                .candidate(Candidate.parse("1 1 udp 2015363327 192.0.2.10 40000 typ host"))
                .candidate(Candidate.parse("2 1 udp 1679819007 198.51.100.4 40000 typ srflx raddr 192.0.2.10 rport 40000"))
                .endOfCandidates(true)
                .ssrc("0", 11, -1)
                .ssrc("1", 22, 33)
                .ssrc("2", 44, -1)
                .connectionAddress("192.0.2.10")
                .session(1234, 1)
                .build();
    }

    private static Sdp answer(String offer, AnswerOptions options) throws SdpException {
        return EchoAnswer.answer(Sdp.parse(offer), otherLocal(), options);
    }

    @Test
    void chromiumOfferGetsExactlyJanusAnswerGivenJanusValues() throws SdpException {
        Sdp answer = EchoAnswer.answer(Fixtures.parse(Fixtures.CHROMIUM_OFFER), janusFixtureLocal(),
                AnswerOptions.defaults());
        assertThat(answer.write()).isEqualTo(Fixtures.read(Fixtures.JANUS_ANSWER));
    }

    /** Same shape with other values: line types, attribute names, payload types, mids, extmap ids. */
    @Test
    void chromiumOfferAnswerHasJanusShapeWithOtherValues() throws SdpException {
        Sdp ours = EchoAnswer.answer(Fixtures.parse(Fixtures.CHROMIUM_OFFER), otherLocal(), AnswerOptions.defaults());
        Sdp janus = Fixtures.parse(Fixtures.JANUS_ANSWER);
        assertThat(shape(ours.write())).isEqualTo(shape(janus.write()));
        assertThat(ours.bundleMids()).isEqualTo(janus.bundleMids());
        assertThat(ours.setup()).isEqualTo(Setup.ACTIVE);
        assertThat(ours.origin().sessionId()).isEqualTo("1234");
        for (int i = 0; i < 2; i++) {
            MediaSection o = ours.media().get(i);
            MediaSection j = janus.media().get(i);
            assertThat(o.mid()).isEqualTo(j.mid());
            assertThat(o.formats()).isEqualTo(j.formats());
            assertThat(o.rtpmaps()).isEqualTo(j.rtpmaps());
            assertThat(o.fmtp()).isEqualTo(j.fmtp());
            assertThat(o.rtcpFb()).isEqualTo(j.rtcpFb());
            assertThat(o.extmaps()).isEqualTo(j.extmaps());
            assertThat(o.direction()).isEqualTo(j.direction());
            assertThat(o.candidates()).hasSize(2);
        }
        assertThat(ours.media().get(1).ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(22L, 33L)));
        assertThat(ours.media().get(1).msid()).isEqualTo("janus janus1");
        assertThat(ours.media().get(1).ssrcs().get(33L)).containsEntry("cname", "janus");
    }

    /** Each line reduced to what Janus would also write whatever the values: type, attribute name, first token. */
    private static List<String> shape(String sdp) {
        List<String> out = new ArrayList<>();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ssrc:") || line.startsWith("a=ssrc-group:") || line.startsWith("a=candidate:")
                    || line.startsWith("a=ice-") || line.startsWith("a=fingerprint:") || line.startsWith("o=")
                    || line.startsWith("c=")) {
                out.add(line.substring(0, line.indexOf(line.startsWith("a=") ? ':' : '=') + 1));
            } else {
                out.add(line);
            }
        }
        // the fixture has one candidate per m-line, otherLocal() two
        List<String> dedup = new ArrayList<>();
        for (String s : out) {
            if (!(s.equals("a=candidate:") && !dedup.isEmpty() && dedup.get(dedup.size() - 1).equals(s))) {
                dedup.add(s);
            }
        }
        return dedup;
    }

    @Test
    void answerRoundTrips() throws SdpException {
        Sdp answer = answer(Fixtures.read(Fixtures.FIREFOX_OFFER), AnswerOptions.defaults());
        assertThat(Sdp.parse(answer.write()).write()).isEqualTo(answer.write());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"sendrecv,sendrecv,true", "sendonly,recvonly,false", "recvonly,sendonly,true",
        "inactive,inactive,false"})
    void directionTable(String offered, String answered, boolean sendsSsrcs) throws SdpException {
        String offer = Fixtures.read(Fixtures.CHROMIUM_OFFER).replace("a=sendrecv", "a=" + offered);
        Sdp answer = answer(offer, AnswerOptions.defaults());
        for (MediaSection m : answer.media()) {
            assertThat(m.port()).isEqualTo(9);
            assertThat(m.direction().sdpName()).isEqualTo(answered);
            // Janus announces its SSRCs (and msid) only where it sends
            assertThat(m.ssrcs().isEmpty()).isEqualTo(!sendsSsrcs);
            assertThat(m.msid() != null).isEqualTo(sendsSsrcs);
        }
        assertThat(answer.media().get(1).ssrcGroups().isEmpty()).isEqualTo(!sendsSsrcs);
    }

    @Test
    void firefoxOfferDataChannelAcceptedSimulcastAnsweredAsRecv() throws SdpException {
        Sdp answer = answer(Fixtures.read(Fixtures.FIREFOX_OFFER), AnswerOptions.defaults());
        assertThat(answer.bundleMids()).containsExactly("0", "1", "2");
        assertThat(answer.fingerprint().value()).startsWith("AA:BB");

        MediaSection audio = answer.media().get(0);
        assertThat(audio.formats()).containsExactly("109");
        assertThat(audio.fmtp(109)).isEqualTo("useinbandfec=1");
        assertThat(audio.rtcpFb()).isEmpty();
        // csrc-audio-level is not kept
        assertThat(audio.extmaps()).extracting(Extmap::id).containsExactly(1, 3);

        MediaSection video = answer.media().get(1);
        assertThat(video.formats()).containsExactly("120", "124");
        assertThat(video.fmtp(124)).isEqualTo("apt=120");
        assertThat(video.fmtp(120)).isNull(); // VP8: Janus writes no fmtp
        assertThat(video.rtcpFb(120)).containsExactly("ccm fir", "nack", "nack pli", "goog-remb", "transport-cc");
        assertThat(video.rids()).containsExactly(new Rid("h", "recv", null), new Rid("m", "recv", null),
                new Rid("l", "recv", null));
        assertThat(video.attribute("simulcast")).isEqualTo("recv h;m;l");
        assertThat(video.extmapId(AnswerOptions.RID)).isEqualTo(10);
        assertThat(video.extmapId(AnswerOptions.REPAIRED_RID)).isEqualTo(11);
        assertThat(video.extmapId(AnswerOptions.ABS_SEND_TIME)).isEqualTo(-1);
        // an extmap offered recvonly is answered sendonly (RFC 8285 §6)
        assertThat(video.extmaps()).contains(new Extmap(6, Direction.SENDONLY, AnswerOptions.PLAYOUT_DELAY, null));

        MediaSection data = answer.media().get(2);
        assertThat(data.port()).isEqualTo(9);
        assertThat(data.isRejected()).isFalse();
        assertThat(data.type()).isEqualTo("application");
        assertThat(data.protocol()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.mid()).isEqualTo("2");
        assertThat(data.attribute("sctp-port")).isEqualTo("5000");
        assertThat(data.attribute("max-message-size")).isEqualTo("262144");
    }

    /** Chrome's simulcast: a=rid per layer, a=simulcast:send, no a=ssrc lines for the video. */
    @Test
    void chromeStyleSimulcastOffer() throws SdpException {
        String offer = Fixtures.read(Fixtures.CHROMIUM_OFFER)
                .replaceAll("a=ssrc(-group)?:(1926207322|572586335|FID)[^\r]*\r\n", "")
                + "a=rid:q send\r\na=rid:h send\r\na=rid:f send pt=96;max-width=1280\r\na=simulcast:send q;h;~f\r\n";
        Sdp parsed = Sdp.parse(offer);
        MediaSection offered = parsed.media().get(1);
        assertThat(offered.ssrcs()).isEmpty();
        assertThat(offered.mainSsrc()).isEqualTo(-1);
        assertThat(offered.simulcast().send()).containsExactly(List.of("q"), List.of("h"), List.of("~f"));
        assertThat(offered.rids().get(2).params()).isEqualTo("pt=96;max-width=1280");

        MediaSection video = EchoAnswer.answer(parsed, otherLocal(), AnswerOptions.defaults()).media().get(1);
        assertThat(video.attributes("rid")).containsExactly("q recv", "h recv", "f recv");
        assertThat(video.attribute("simulcast")).isEqualTo("recv q;h;~f");
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        // the echo still sends one stream back
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(22L, 33L)));
        assertThat(video.extmapId(AnswerOptions.RID)).isEqualTo(10);
        assertThat(video.extmapId(AnswerOptions.REPAIRED_RID)).isEqualTo(11);
    }

    @Test
    void simulcastNotAnsweredWhenNotReceiving() throws SdpException {
        String offer = Fixtures.read(Fixtures.FIREFOX_OFFER).replace("a=sendrecv\r\na=extmap:3", "a=recvonly\r\na=extmap:3");
        MediaSection video = answer(offer, AnswerOptions.defaults()).media().get(1);
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.rids()).isEmpty();
        assertThat(video.simulcast()).isNull();
    }

    @Test
    void disabledMediaAndOfferedPortZeroAreRejected() throws SdpException {
        Sdp noAudio = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), AnswerOptions.defaults().withAudio(false));
        assertThat(noAudio.media().get(0).port()).isZero();
        assertThat(noAudio.media().get(0).mid()).isEqualTo("0");
        assertThat(noAudio.bundleMids()).containsExactly("1");

        String offer = Fixtures.read(Fixtures.CHROMIUM_OFFER).replace("m=video 9 ", "m=video 0 ");
        Sdp answer = answer(offer, AnswerOptions.defaults());
        assertThat(answer.media().get(1).port()).isZero();
        assertThat(answer.bundleMids()).containsExactly("0");
    }

    @Test
    void codecNotOfferedRejectsTheMLine() throws SdpException {
        Sdp answer = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), AnswerOptions.defaults().withVideoCodec("h265"));
        assertThat(answer.media().get(1).port()).isZero();
        assertThat(answer.media().get(0).port()).isEqualTo(9);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "vp8,-,96,97", "h264,-,102,103", "h264,42e01f,108,109", "vp9,2,100,101", "vp9,-,98,99", "av1,-,45,46",
        "'h265,vp9',-,98,99", "H264,4d001f,116,117"})
    void videoCodecPreference(String codec, String profile, int pt, int rtx) throws SdpException {
        AnswerOptions options = AnswerOptions.defaults().withVideoCodec(codec).withVideoProfile(profile);
        MediaSection video = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), options).media().get(1);
        assertThat(video.formats()).containsExactly(Integer.toString(pt), Integer.toString(rtx));
        assertThat(video.fmtp(rtx)).isEqualTo("apt=" + pt);
        Sdp offer = Fixtures.parse(Fixtures.CHROMIUM_OFFER);
        // H.264/VP9/AV1 keep the offered fmtp: the echo returns the same bitstream
        assertThat(video.fmtp(pt)).isEqualTo(codec.equals("vp8") ? null : offer.media().get(1).fmtp(pt));
    }

    @ParameterizedTest
    @CsvSource({"pcmu,0", "PCMA,8", "g722,9", "opus,111", "'isac,pcma',8"})
    void audioCodecPreference(String codec, int pt) throws SdpException {
        MediaSection audio = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER),
                AnswerOptions.defaults().withAudioCodec(codec)).media().get(0);
        assertThat(audio.formats()).containsExactly(Integer.toString(pt));
        assertThat(audio.fmtp().isEmpty()).isEqualTo(pt != 111);
    }

    @Test
    void withoutRtx() throws SdpException {
        MediaSection video = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), AnswerOptions.defaults().withRtx(false))
                .media().get(1);
        assertThat(video.formats()).containsExactly("96");
        assertThat(video.ssrcGroups()).isEmpty();
        assertThat(video.ssrcs()).containsOnlyKeys(22L);
    }

    @Test
    void opusRedWhenAsked() throws SdpException {
        MediaSection audio = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), AnswerOptions.defaults().withOpusRed(true))
                .media().get(0);
        assertThat(audio.formats()).containsExactly("63", "111");
        assertThat(audio.fmtp(63)).isEqualTo("111/111");
        assertThat(audio.codec(63)).isEqualTo(new Codec("red", 48000, 2));
    }

    @Test
    void absSendTimeOnlyWhenAsked() throws SdpException {
        Sdp answer = answer(Fixtures.read(Fixtures.CHROMIUM_OFFER), AnswerOptions.defaults().withAbsSendTime(true));
        assertThat(answer.media().get(0).extmapId(AnswerOptions.ABS_SEND_TIME)).isEqualTo(2);
        assertThat(answer.media().get(1).extmapId(AnswerOptions.ABS_SEND_TIME)).isEqualTo(2);
    }

    @Test
    void dtlsRole() throws SdpException {
        assertThat(EchoAnswer.dtlsRoleFor(Setup.ACTPASS)).isEqualTo(Setup.ACTIVE);
        assertThat(EchoAnswer.dtlsRoleFor(Setup.PASSIVE)).isEqualTo(Setup.ACTIVE);
        assertThat(EchoAnswer.dtlsRoleFor(null)).isEqualTo(Setup.ACTIVE);
        assertThat(EchoAnswer.dtlsRoleFor(Setup.ACTIVE)).isEqualTo(Setup.PASSIVE);

        String activeOffer = Fixtures.read(Fixtures.CHROMIUM_OFFER).replace("a=setup:actpass", "a=setup:active");
        LocalMedia derive = LocalMedia.builder().ice("abcd", "0123456789abcdef012345").fingerprint("AA:BB")
                .connectionAddress("192.0.2.10").setup(null).build();
        Sdp answer = EchoAnswer.answer(Sdp.parse(activeOffer), derive, AnswerOptions.defaults());
        assertThat(answer.media()).extracting(MediaSection::setup).containsOnly(Setup.PASSIVE);
        assertThatThrownBy(() -> answer(activeOffer, AnswerOptions.defaults()))
                .isInstanceOf(SdpException.class).hasMessage("DTLS role conflict: offer is active, answer would be active");
    }

    @Test
    void missingMidOnAnAcceptedMLineIsAnError() {
        String offer = Fixtures.read(Fixtures.CHROMIUM_OFFER).replace("a=mid:1\r\n", "");
        assertThatThrownBy(() -> answer(offer, AnswerOptions.defaults()))
                .isInstanceOf(SdpException.class).hasMessage("Missing mid in m-line 1");
    }

    @Test
    void noCandidatesWithFullTrickleAndIpv6Address() throws SdpException {
        LocalMedia local = LocalMedia.builder().ice("abcd", "0123456789abcdef012345").fingerprint("AA:BB")
                .connectionAddress("2001:db8::1").build();
        Sdp answer = EchoAnswer.answer(Fixtures.parse(Fixtures.CHROMIUM_OFFER), local, AnswerOptions.defaults());
        assertThat(answer.origin().addrType()).isEqualTo("IP6");
        MediaSection audio = answer.media().get(0);
        assertThat(audio.line('c')).isEqualTo("IN IP6 2001:db8::1");
        assertThat(audio.candidates()).isEmpty();
        assertThat(audio.endOfCandidates()).isFalse();
        // no SSRC chosen for this mid: msid only
        assertThat(audio.ssrcs()).isEmpty();
        assertThat(audio.msid()).isEqualTo("janus janus0");
    }

    @Test
    void legacyStaticPayloadTypeWithoutRtpmap() throws SdpException {
        String offer = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0 8\r\na=mid:a\r\na=sendrecv\r\n";
        MediaSection audio = answer(offer, AnswerOptions.defaults()).media().get(0);
        assertThat(audio.formats()).containsExactly("0");
        assertThat(audio.codec(0)).isEqualTo(new Codec("PCMU", 8000, 0));
    }
}
