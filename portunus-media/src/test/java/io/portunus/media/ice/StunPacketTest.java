package io.portunus.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The STUN codec against RFC 5769's test vectors, round trips, and malformed input. */
class StunPacketTest {
    private static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    /** RFC 5769 §2.1 sample request (short-term credentials, ICE attributes). */
    static final byte[] REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    /** RFC 5769 §2.2 sample IPv4 response: 192.0.2.1 port 32853. */
    static final byte[] RESPONSE_V4 = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    /** RFC 5769 §2.3 sample IPv6 response: 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
    static final byte[] RESPONSE_V6 = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void rfc5769SampleRequest() {
        StunPacket p = StunPacket.parse(REQUEST, 0, REQUEST.length);
        assertThat(p).isNotNull();
        assertThat(p.type()).isEqualTo(StunPacket.BINDING_REQUEST);
        assertThat(p.username()).isEqualTo("evtj:h6vY");
        assertThat(p.priority()).isEqualTo(0x6e0001ffL);
        assertThat(p.iceControlled()).isEqualTo(0x932ff9b151263b36L);
        assertThat(p.iceControlling()).isNull();
        assertThat(p.useCandidate()).isFalse();
        assertThat(p.fingerprintValid()).isTrue();
        assertThat(p.integrityValid(PASSWORD)).isTrue();
        assertThat(p.integrityValid("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(p.transactionId()).isEqualTo(hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));
    }

    @Test
    void rfc5769SampleResponses() throws Exception {
        StunPacket v4 = StunPacket.parse(RESPONSE_V4, 0, RESPONSE_V4.length);
        assertThat(v4.type()).isEqualTo(StunPacket.BINDING_SUCCESS);
        assertThat(v4.mappedAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(v4.fingerprintValid()).isTrue();
        assertThat(v4.integrityValid(PASSWORD)).isTrue();

        StunPacket v6 = StunPacket.parse(RESPONSE_V6, 0, RESPONSE_V6.length);
        assertThat(v6.mappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(v6.fingerprintValid()).isTrue();
        assertThat(v6.integrityValid(PASSWORD)).isTrue();

        assertThat(StunPacket.parse(RESPONSE_V4, 0, RESPONSE_V4.length).type()).isEqualTo(StunPacket.BINDING_SUCCESS);
    }

    @Test
    void builderReproducesRfc5769Integrity() throws Exception {
        // Rebuild §2.2 with our builder (same attribute order, SOFTWARE padded with spaces as in
        // the RFC) and compare byte for byte: checks HMAC length adjustment and FINGERPRINT.
        byte[] id = hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
        byte[] built = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, id)
                .attribute(StunPacket.ATTR_SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8))
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853))
                .build(PASSWORD, true);
        byte[] expected = RESPONSE_V4.clone();
        expected[20 + 4 + 11] = 0; // the RFC pads SOFTWARE with 0x20, we pad with zeros (RFC 5389 §15)
        // Padding is covered by the HMAC, so compare everything but the padding, MI and FP:
        assertThat(Arrays.copyOf(built, 35)).isEqualTo(Arrays.copyOf(expected, 35));
        StunPacket p = StunPacket.parse(built, 0, built.length);
        assertThat(p.integrityValid(PASSWORD)).isTrue();
        assertThat(p.fingerprintValid()).isTrue();
        assertThat(p.mappedAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void roundTripIceAttributes() throws Exception {
        byte[] id = StunPacket.newTransactionId();
        byte[] key = "secret-password-1234".getBytes(StandardCharsets.UTF_8);
        byte[] req = new StunPacket.Builder(StunPacket.BINDING_REQUEST, id)
                .username("abcd:efgh").priority(0xFFFFFFFEL).iceControlling(-2L).useCandidate()
                .build(key, true);
        StunPacket p = StunPacket.parse(req, 0, req.length);
        assertThat(p.username()).isEqualTo("abcd:efgh");
        assertThat(p.priority()).isEqualTo(0xFFFFFFFEL);
        assertThat(p.iceControlling()).isEqualTo(-2L);
        assertThat(p.useCandidate()).isTrue();
        assertThat(p.integrityValid(key)).isTrue();
        assertThat(p.fingerprintValid()).isTrue();
        assertThat(p.transactionId()).isEqualTo(id);

        byte[] err = new StunPacket.Builder(StunPacket.BINDING_ERROR, id).errorCode(487, "Role Conflict").build(key, true);
        StunPacket e = StunPacket.parse(err, 0, err.length);
        assertThat(e.errorCode()).isEqualTo(487);
        assertThat(e.integrityValid(key)).isTrue();

        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("fe80::1234:5678"), 40000);
        byte[] ok = new StunPacket.Builder(StunPacket.BINDING_SUCCESS, id).xorMappedAddress(v6).build(null, false);
        StunPacket s = StunPacket.parse(ok, 0, ok.length);
        assertThat(s.mappedAddress()).isEqualTo(v6);
        assertThat(s.hasIntegrity()).isFalse();
        assertThat(s.integrityValid(key)).isFalse();
        assertThat(s.fingerprintValid()).isFalse();

        // At an offset inside a bigger buffer.
        byte[] big = new byte[req.length + 7];
        System.arraycopy(req, 0, big, 3, req.length);
        assertThat(StunPacket.parse(big, 3, req.length).integrityValid(key)).isTrue();
    }

    @Test
    void everyFlippedBitBreaksIntegrityOrFingerprintOrParsing() {
        for (int i = 0; i < REQUEST.length * 8; i++) {
            byte[] m = REQUEST.clone();
            m[i / 8] ^= (byte) (1 << (i % 8));
            StunPacket p = StunPacket.parse(m, 0, m.length);
            boolean accepted = p != null && p.fingerprintValid() && p.integrityValid(PASSWORD);
            assertThat(accepted).as("bit %d", i).isFalse();
        }
    }

    @Test
    void malformedInputNeverThrows() {
        Random r = new Random(5769);
        byte[][] seeds = {REQUEST, RESPONSE_V4, RESPONSE_V6};
        for (int i = 0; i < 20_000; i++) {
            byte[] m;
            if (i % 2 == 0) {
                m = new byte[r.nextInt(120)];
                r.nextBytes(m);
                if (m.length >= 8 && r.nextBoolean()) {
                    m[0] &= 0x3F;
                    m[4] = 0x21;
                    m[5] = 0x12;
                    m[6] = (byte) 0xa4;
                    m[7] = 0x42;
                }
            } else {
                byte[] seed = seeds[r.nextInt(seeds.length)];
                m = Arrays.copyOf(seed, Math.max(0, seed.length + r.nextInt(9) - 6));
                for (int k = r.nextInt(4); k >= 0; k--) {
                    if (m.length > 0) {
                        m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                    }
                }
            }
            byte[] msg = m;
            int off = msg.length == 0 ? 0 : r.nextInt(3) == 0 ? r.nextInt(msg.length) : 0;
            int len = r.nextInt(5) == 0 ? r.nextInt(200) - 10 : msg.length - off;
            assertThatCode(() -> {
                StunPacket p = StunPacket.parse(msg, off, len);
                if (p != null) {
                    p.integrityValid(PASSWORD);
                    p.fingerprintValid();
                    p.mappedAddress();
                }
            }).doesNotThrowAnyException();
        }
        assertThat(StunPacket.parse(null, 0, 0)).isNull();
        assertThat(StunPacket.parse(new byte[2], 0, 2)).isNull();
    }
}
