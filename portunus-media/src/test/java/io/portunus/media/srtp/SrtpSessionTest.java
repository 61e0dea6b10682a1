package io.portunus.media.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SrtpSessionTest {

    private final Random random = new Random(5);

    private SrtpKeys keys(SrtpProfile p) {
        byte[] material = new byte[p.keyingMaterialLength()];
        random.nextBytes(material);
        return SrtpKeys.fromKeyingMaterial(p, material, true);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpAndRtcpRoundTripBothWays(SrtpProfile p) {
        SrtpKeys k = keys(p);
        SrtpSession a = new SrtpSession(k);
        SrtpSession b = new SrtpSession(k.mirrored());
        for (int i = 0; i < 5; i++) {
            byte[] rtp = TestPackets.rtp(0x1234, 65534 + i, 960L * i, 100 + i, random);
            byte[] srtp = a.protectRtp(rtp, 0, rtp.length);
            assertThat(srtp).hasSize(rtp.length + p.rtpTagLength());
            assertThat(Arrays.copyOfRange(srtp, 0, 24)).isEqualTo(Arrays.copyOfRange(rtp, 0, 24)); // header in clear
            assertThat(Arrays.copyOfRange(srtp, 24, rtp.length)).isNotEqualTo(Arrays.copyOfRange(rtp, 24, rtp.length));
            int n = b.unprotectRtp(srtp, 0, srtp.length);
            assertThat(Arrays.copyOf(srtp, n)).isEqualTo(rtp);

            byte[] back = b.protectRtp(rtp, 0, rtp.length);
            assertThat(Arrays.copyOf(back, a.unprotectRtp(back, 0, back.length))).isEqualTo(rtp);

            byte[] rtcp = TestPackets.srSdes(0x1234, 0x1122334455667788L, 960L * i, i, 100 * i);
            byte[] srtcp = a.protectRtcp(rtcp, 0, rtcp.length);
            assertThat(srtcp).hasSize(rtcp.length + 4 + p.rtcpTagLength());
            int m = b.unprotectRtcp(srtcp, 0, srtcp.length);
            assertThat(Arrays.copyOf(srtcp, m)).isEqualTo(rtcp);
            byte[] srtcpBack = b.protectRtcp(rtcp, 0, rtcp.length);
            assertThat(Arrays.copyOf(srtcpBack, a.unprotectRtcp(srtcpBack, 0, srtcpBack.length))).isEqualTo(rtcp);
        }
        assertThat(a.failures()).isZero();
        assertThat(b.failures()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketFailsAndTheNextGoodOneStillDecrypts(SrtpProfile p) {
        SrtpKeys k = keys(p);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[] first = TestPackets.rtp(7, 100, 0, 50, random);
        byte[] s1 = tx.protectRtp(first, 0, first.length);
        s1[30] ^= 0x01;
        assertThat(rx.unprotectRtp(s1, 0, s1.length)).isEqualTo(-1);
        assertThat(rx.authFailures()).isEqualTo(1);
        byte[] tag = tx.protectRtp(first, 0, first.length); // same index again (a NACK resend)
        tag[tag.length - 1] ^= (byte) 0x80;
        assertThat(rx.unprotectRtp(tag, 0, tag.length)).isEqualTo(-1);

        byte[] second = TestPackets.rtp(7, 101, 960, 50, random);
        byte[] s2 = tx.protectRtp(second, 0, second.length);
        assertThat(Arrays.copyOf(s2, rx.unprotectRtp(s2, 0, s2.length))).isEqualTo(second);

        byte[] rtcp = TestPackets.srSdes(7, 1, 2, 3, 4);
        byte[] c1 = tx.protectRtcp(rtcp, 0, rtcp.length);
        c1[10] ^= 0x40;
        assertThat(rx.unprotectRtcp(c1, 0, c1.length)).isEqualTo(-1);
        byte[] c2 = tx.protectRtcp(rtcp, 0, rtcp.length);
        assertThat(Arrays.copyOf(c2, rx.unprotectRtcp(c2, 0, c2.length))).isEqualTo(rtcp);
        assertThat(rx.failures()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAreRejected(SrtpProfile p) {
        SrtpKeys k = keys(p);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[] rtp = TestPackets.rtp(9, 5000, 0, 80, random);
        byte[] s = tx.protectRtp(rtp, 0, rtp.length);
        byte[] copy = s.clone();
        assertThat(rx.unprotectRtp(s, 0, s.length)).isEqualTo(rtp.length);
        assertThat(rx.unprotectRtp(copy, 0, copy.length)).isEqualTo(-1);
        assertThat(rx.replays()).isEqualTo(1);

        byte[] rtcp = TestPackets.srSdes(9, 1, 2, 3, 4);
        byte[] c = tx.protectRtcp(rtcp, 0, rtcp.length);
        byte[] cCopy = c.clone();
        assertThat(rx.unprotectRtcp(c, 0, c.length)).isEqualTo(rtcp.length);
        assertThat(rx.unprotectRtcp(cCopy, 0, cCopy.length)).isEqualTo(-1);
        assertThat(rx.replays()).isEqualTo(2);
        assertThat(rx.failures()).isEqualTo(2);
    }

    @Test
    void outOfOrderWithinTheWindowIsAccepted() {
        SrtpKeys k = keys(SrtpProfile.AES128_CM_SHA1_80);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[][] sent = new byte[10][];
        for (int i = 0; i < 10; i++) {
            byte[] rtp = TestPackets.rtp(3, 65530 + i, i, 20, random); // wraps: exercises the ROC
            sent[i] = tx.protectRtp(rtp, 0, rtp.length);
        }
        for (int i : new int[] {0, 2, 1, 5, 9, 3, 4, 8, 7, 6}) {
            assertThat(rx.unprotectRtp(sent[i], 0, sent[i].length)).as("packet %d", i).isPositive();
        }
    }

    @Test
    void inPlaceVariantsAndOffsets() {
        SrtpKeys k = keys(SrtpProfile.AEAD_AES_128_GCM);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[] rtp = TestPackets.rtp(11, 1, 0, 40, random);
        byte[] buf = new byte[10 + rtp.length + tx.rtpOverhead() + 5];
        System.arraycopy(rtp, 0, buf, 10, rtp.length);
        int n = tx.protectRtpInPlace(buf, 10, rtp.length);
        assertThat(n).isEqualTo(rtp.length + 16);
        int m = rx.unprotectRtp(buf, 10, n);
        assertThat(Arrays.copyOfRange(buf, 10, 10 + m)).isEqualTo(rtp);
        // No room for the tag: refused, not thrown.
        assertThat(tx.protectRtpInPlace(rtp.clone(), 0, rtp.length)).isEqualTo(-1);
        assertThat(tx.protectRtcpInPlace(new byte[30], 0, 28)).isEqualTo(-1);
    }

    @Test
    void protectIntoAReusedArrayLeavesTheInputAsItWas() {
        SrtpKeys k = keys(SrtpProfile.AES128_CM_SHA1_80);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[] out = new byte[2048];
        for (int seq = 1; seq <= 3; seq++) {
            byte[] rtp = TestPackets.rtp(11, seq, 0, 100 * seq, random);
            byte[] in = new byte[7 + rtp.length];
            System.arraycopy(rtp, 0, in, 7, rtp.length);
            int n = tx.protectRtpInto(in, 7, rtp.length, out);
            assertThat(n).isEqualTo(rtp.length + tx.rtpOverhead());
            assertThat(Arrays.copyOfRange(in, 7, in.length)).isEqualTo(rtp);
            int m = rx.unprotectRtp(out, 0, n);
            assertThat(Arrays.copyOfRange(out, 0, m)).isEqualTo(rtp);
        }
        // Too small an array, or a range outside the input: refused, not thrown.
        byte[] rtp = TestPackets.rtp(11, 4, 0, 40, random);
        assertThat(tx.protectRtpInto(rtp, 0, rtp.length, new byte[rtp.length])).isEqualTo(-1);
        assertThat(tx.protectRtpInto(rtp, 5, rtp.length, out)).isEqualTo(-1);
        assertThat(tx.protectRtpInto(rtp, 0, -1, out)).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void garbageNeverThrows(SrtpProfile p) {
        SrtpKeys k = keys(p);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(k.mirrored());
        byte[] good = TestPackets.rtp(21, 7, 0, 60, random);
        byte[] srtp = tx.protectRtp(good, 0, good.length);
        assertThatCode(() -> {
            for (int i = 0; i < 3000; i++) {
                byte[] b;
                switch (i % 4) {
                    case 0 -> { b = new byte[random.nextInt(80)]; random.nextBytes(b); }
                    case 1 -> b = Arrays.copyOf(srtp, random.nextInt(srtp.length));
                    case 2 -> { b = srtp.clone(); b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255)); }
                    default -> { b = srtp.clone(); b[0] = (byte) (0x90 | random.nextInt(16)); b[13] = (byte) random.nextInt(); b[14] = (byte) random.nextInt(); }
                }
                assertThat(rx.unprotectRtp(b, 0, b.length)).isLessThanOrEqualTo(b.length);
                assertThat(rx.unprotectRtcp(b, 0, b.length)).isLessThanOrEqualTo(b.length);
            }
            rx.unprotectRtp(null, 0, 10);
            rx.unprotectRtp(new byte[10], 5, 10);
            rx.unprotectRtcp(new byte[10], -1, 3);
            assertThat(tx.protectRtp(new byte[5], 0, 5)).isNull();
            assertThat(tx.protectRtcp(new byte[5], 0, 5)).isNull();
        }).doesNotThrowAnyException();
        // The genuine packet still decrypts after all that.
        assertThat(Arrays.copyOf(srtp, rx.unprotectRtp(srtp, 0, srtp.length))).isEqualTo(good);
    }

    @Test
    void forgedSsrcsDoNotGrowTheTables() {
        SrtpKeys k = keys(SrtpProfile.AES128_CM_SHA1_32);
        SrtpSession tx = new SrtpSession(k);
        SrtpSession rx = new SrtpSession(SrtpKeys.fromKeyingMaterial(k.profile(), new byte[k.profile().keyingMaterialLength()], false));
        SrtpSession forger = new SrtpSession(k);
        for (int i = 0; i < SrtpSession.MAX_STREAMS + 10; i++) {
            if (i % 1000 == 999) {
                forger = new SrtpSession(k); // our own sender side is capped too
            }
            byte[] rtp = TestPackets.rtp(i, 1, 0, 10, random);
            byte[] s = forger.protectRtp(rtp, 0, rtp.length);
            assertThat(rx.unprotectRtp(s, 0, s.length)).isEqualTo(-1);
        }
        assertThat(rx.incomingStreams()).isZero();
        // Wrong keys: every packet failed, and a real one from the right keys is unaffected.
        SrtpSession good = new SrtpSession(k.mirrored());
        byte[] rtp = TestPackets.rtp(1, 1, 0, 10, random);
        byte[] s = tx.protectRtp(rtp, 0, rtp.length);
        assertThat(good.unprotectRtp(s, 0, s.length)).isEqualTo(rtp.length);
    }

    @Test
    void profileNamesAndIds() {
        assertThat(SrtpProfile.fromDtlsId(0x0007)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromDtlsId(0x0005)).isNull();
        assertThat(SrtpProfile.AES128_CM_SHA1_32.janusName()).isEqualTo("SRTP_AES128_CM_SHA1_32");
        assertThat(SrtpProfile.fromName("srtp_aes128_cm_hmac_sha1_80")).isEqualTo(SrtpProfile.AES128_CM_SHA1_80);
        assertThat(SrtpProfile.fromName("SRTP_AEAD_AES_256_GCM")).isEqualTo(SrtpProfile.AEAD_AES_256_GCM);
        assertThat(SrtpProfile.fromName("AEAD_AES_128_GCM")).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpKeys.fromKeyingMaterial(SrtpProfile.AES128_CM_SHA1_80, new byte[60], true).toString())
            .doesNotContain("[B");
    }
}
