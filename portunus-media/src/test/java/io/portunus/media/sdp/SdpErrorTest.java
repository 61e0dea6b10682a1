package io.portunus.media.sdp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The texts a client gets back (error 465) for broken SDP. */
class SdpErrorTest {
    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // Janus's own pre-parse texts
        "v=0\\r\\nbroken|Invalid line (2nd char is not '='): broken",
        "x|Invalid line (2nd char is not '='): x",
        "o=- 1 2 IN IP4 0.0.0.0\\r\\nbroken|Invalid line (2nd char is not '='): broken",
        "\\r\\n\\r\\n|Empty SDP",
        // ours
        "o=- 1 2 IN IP4 0.0.0.0|Invalid SDP (first line must be v=0): o=- 1 2 IN IP4 0.0.0.0",
        "v=1|Invalid SDP (first line must be v=0): v=1",
        "v=0|Missing o= line",
        "v=0\\r\\ns=-\\r\\nm=audio 9 RTP/AVP 0|Missing o= line",
        "v=0\\r\\no=- 1 2 IN IP4|Invalid o= line: o=- 1 2 IN IP4",
        "HEADo=- 1 2 IN IP4 127.0.0.1|Duplicate o= line: o=- 1 2 IN IP4 127.0.0.1",
        "HEADv=0|Duplicate v= line: v=0",
        "HEADm=audio 9 UDP/TLS/RTP/SAVPF|Invalid m= line: m=audio 9 UDP/TLS/RTP/SAVPF",
        "HEADm=audio nine UDP/TLS/RTP/SAVPF 111|Invalid m= line: m=audio nine UDP/TLS/RTP/SAVPF 111",
        "HEADm=audio 70000 UDP/TLS/RTP/SAVPF 111|Invalid m= line: m=audio 70000 UDP/TLS/RTP/SAVPF 111",
        "HEADAUDIOt=0 0|Session-level line in a media section: t=0 0",
        "HEADAUDIOc=IN IP4|Invalid c= line: c=IN IP4",
        "HEADAUDIOc=IN IP4 /|Invalid c= line: c=IN IP4 /",
        "HEADAUDIOc=IN IP4 /127|Invalid c= line: c=IN IP4 /127",
        "HEADAUDIOa=rtpmap:111|Invalid rtpmap: a=rtpmap:111",
        "HEADAUDIOa=rtpmap|Invalid attribute (missing value): a=rtpmap",
        "HEADAUDIOa=rtpmap:abc opus/48000/2|Invalid payload type: a=rtpmap:abc opus/48000/2",
        "HEADAUDIOa=rtpmap:200 opus/48000/2|Invalid payload type: a=rtpmap:200 opus/48000/2",
        "HEADAUDIOa=rtpmap:111 opus|Invalid rtpmap: a=rtpmap:111 opus",
        "HEADAUDIOa=rtpmap:111 opus/fast|Invalid rtpmap: a=rtpmap:111 opus/fast",
        "HEADAUDIOa=fmtp:x useinbandfec=1|Invalid payload type: a=fmtp:x useinbandfec=1",
        "HEADAUDIOa=rtcp-fb:111|Invalid rtcp-fb: a=rtcp-fb:111",
        "HEADAUDIOa=extmap:0 urn:x|Invalid extmap: a=extmap:0 urn:x",
        "HEADAUDIOa=extmap:1/sideways urn:x|Invalid extmap: a=extmap:1/sideways urn:x",
        "HEADAUDIOa=ssrc:-1 cname:x|Invalid ssrc: a=ssrc:-1 cname:x",
        "HEADAUDIOa=ssrc:4294967296 cname:x|Invalid ssrc: a=ssrc:4294967296 cname:x",
        "HEADAUDIOa=ssrc-group:FID 1 x|Invalid ssrc-group: a=ssrc-group:FID 1 x",
        "HEADAUDIOa=rid:h sideways|Invalid rid: a=rid:h sideways",
        "HEADAUDIOa=simulcast:send|Invalid simulcast: a=simulcast:send",
        "HEADAUDIOa=candidate:1 1 udp|Invalid candidate: a=candidate:1 1 udp",
        "HEADAUDIOa=fingerprint:sha-256 zz|Invalid fingerprint: a=fingerprint:sha-256 zz",
        "HEADAUDIOa=setup:both|Invalid setup: a=setup:both",
        "HEADAUDIOa=mid:|Invalid mid: a=mid:",
        "HEADAUDIOa=mid:a b|Invalid mid: a=mid:a b",
        "HEADAUDIOa=ice-ufrag:|Invalid attribute (empty value): a=ice-ufrag:",
        "HEADa=group:|Invalid group: a=group:",
        "HEADa=|Invalid attribute (no name): a=",
    })
    void errorTexts(String sdp, String message) {
        String text = sdp.replace("HEAD", HEAD).replace("AUDIO", AUDIO).replace("\\r\\n", "\r\n");
        assertThatThrownBy(() -> Sdp.parse(text)).isInstanceOf(SdpException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"''"})
    void emptyAndNull(String empty) {
        assertThatThrownBy(() -> Sdp.parse(empty)).isInstanceOf(SdpException.class).hasMessage("Empty SDP");
        assertThatThrownBy(() -> Sdp.parse(null)).isInstanceOf(SdpException.class).hasMessage("Empty SDP");
    }
}
