package io.portunus.webrtc;

import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtcp.TransportFeedback;
import io.portunus.media.sdp.Sdp;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransportCcTest {

    private static Sdp fixture(String name) throws Exception {
        try (InputStream in = TransportCcTest.class.getResourceAsStream("/sdp/" + name)) {
            return Sdp.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** An RTP packet with a one-byte-header extension block holding the transport-wide sequence number. */
    static byte[] rtp(int extensionId, int transportSequence) {
        byte[] p = new byte[12 + 8 + 10];
        p[0] = (byte) 0x90; // V=2, X=1
        p[1] = 96;
        p[8] = 1;
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1; // one word of elements
        p[16] = (byte) ((extensionId << 4) | 1); // 2 bytes
        p[17] = (byte) (transportSequence >>> 8);
        p[18] = (byte) transportSequence;
        return p;
    }

    @Test
    void janusAnswerNegotiatesTransportCcAndIncomingPacketsAreReported() throws Exception {
        Sdp answer = fixture("janus-answer.sdp");
        TransportCc cc = new TransportCc();
        cc.negotiated(answer);
        assertThat(cc.enabled()).isTrue();
        assertThat(cc.describe().get("twcc-ext-id").asInt()).isEqualTo(3);
        assertThat(cc.describe().get("twcc").asBoolean()).isTrue();
        cc.received(rtp(3, 500), 30, 1_000_000);
        cc.received(rtp(3, 502), 30, 1_003_000);
        cc.received(rtp(4, 999), 30, 1_004_000); // another extension id: not a transport sequence
        List<byte[]> feedback = cc.feedback(11, 22);
        assertThat(feedback).hasSize(1);
        byte[] p = feedback.get(0);
        var parsed = TransportFeedback.parse(p, Rtcp.blocks(p, 0, p.length).get(0));
        assertThat(parsed.baseSequence()).isEqualTo(500);
        assertThat(parsed.deltas()).hasSize(3).containsNull();
        assertThat(cc.describe().get("twcc-feedback-sent").asLong()).isEqualTo(1);
        assertThat(cc.feedback(11, 22)).isEmpty();
        assertThat(cc.describe().get("twcc-feedback-sent").asLong()).isEqualTo(1);
    }

    @Test
    void withoutTheExtensionNothingIsRecordedOrSent() throws Exception {
        Sdp answer = Sdp.parse(new String(TransportCcTest.class.getResourceAsStream("/sdp/janus-answer.sdp").readAllBytes(),
                StandardCharsets.UTF_8).replace("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n", ""));
        TransportCc cc = new TransportCc();
        cc.negotiated(answer);
        assertThat(cc.enabled()).isFalse();
        cc.received(rtp(3, 1), 30, 0);
        assertThat(cc.feedback(1, 2)).isEmpty();
        assertThat(cc.describe().get("twcc").asBoolean()).isFalse();
        assertThat(cc.describe().has("twcc-ext-id")).isFalse();
    }

    @Test
    void thePeersFeedbackIsCountedAndGarbageSeparately() {
        TransportCc cc = new TransportCc();
        byte[] good = TransportFeedback.build(1, 2, 0, 0, 0, Arrays.asList(1, null, 2));
        cc.feedbackFromPeer(good, Rtcp.blocks(good, 0, good.length).get(0));
        byte[] bad = good.clone();
        bad[15] = 100; // claims 100 statuses
        cc.feedbackFromPeer(bad, Rtcp.blocks(bad, 0, bad.length).get(0));
        assertThat(cc.describe().get("twcc-feedback-received").asLong()).isEqualTo(1);
        assertThat(cc.describe().get("twcc-feedback-malformed").asLong()).isEqualTo(1);
    }
}
