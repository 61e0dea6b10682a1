package io.portunus.media.rtcp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportFeedbackTest {

    /** Hand-encoded from the draft's layout: one two-bit status vector, small and large deltas, padding. */
    @Test
    void buildsTheDraftsLayoutByteForByte() {
        byte[] p = TransportFeedback.build(0x01020304L, 0x05060708L, 10, 0x000102, 7, Arrays.asList(4, null, 300, -8, 1));
        byte[] expected = {
            (byte) 0x8F, (byte) 205, 0, 6,          // V=2 FMT=15, RTPFB, 7 words
            1, 2, 3, 4, 5, 6, 7, 8,                 // sender, media source
            0, 10, 0, 5,                            // base sequence 10, 5 statuses
            0, 1, 2, 7,                             // reference time 0x000102, feedback count 7
            (byte) 0xD2, (byte) 0x90,               // 2-bit vector: small, lost, large, large, small, (pad, pad)
            4, 0x01, 0x2C, (byte) 0xFF, (byte) 0xF8, 1, // deltas 4, 300, -8, 1
        };
        assertThat(p).containsExactly(expected);
        var parsed = TransportFeedback.parse(p, Rtcp.blocks(p, 0, p.length).get(0));
        assertThat(parsed.deltas()).containsExactly(4, null, 300, -8, 1);
        assertThat(parsed.baseSequence()).isEqualTo(10);
        assertThat(parsed.referenceTime()).isEqualTo(0x102);
        assertThat(parsed.feedbackCount()).isEqualTo(7);
        assertThat(parsed.senderSsrc()).isEqualTo(0x01020304L);
        assertThat(parsed.mediaSsrc()).isEqualTo(0x05060708L);
        // 23 bytes of content: zero-padded to 24, inside the length.
        byte[] one = TransportFeedback.build(1, 2, 0, 0, 0, List.of(4));
        assertThat(one).hasSize(24);
        assertThat(one[3]).isEqualTo((byte) 5);
        assertThat(one[23]).isZero();
    }

    @Test
    void runsOfSevenOrMoreUseRunLengthChunksAndMixesUseVectors() {
        int[] symbols = new int[20 + 14 + 3];
        Arrays.fill(symbols, 0, 20, 1);                       // 20 small: one run-length chunk
        int[] oneBit = {0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0};
        System.arraycopy(oneBit, 0, symbols, 20, 14);         // a one-bit vector of 14
        symbols[34] = 2;                                      // then a two-bit vector with a large delta
        symbols[35] = 0;
        symbols[36] = 1;
        List<Integer> chunks = TransportFeedback.chunks(symbols);
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0)).isEqualTo((1 << 13) | 20);
        assertThat(chunks.get(1) & 0xC000).isEqualTo(0x8000);
        assertThat(chunks.get(1) & 0x3FFF).isEqualTo(0b01101111110010);
        assertThat(chunks.get(2)).isEqualTo(0xC000 | (2 << 12) | (0 << 10) | (1 << 8));
        // A lost run longer than one chunk can say (8191) takes two.
        int[] longLoss = new int[9000];
        assertThat(TransportFeedback.chunks(longLoss)).containsExactly(8191, 9000 - 8191);
    }

    @Test
    void roundTripsRandomPatterns() {
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + r.nextInt(r.nextBoolean() ? 40 : 3000);
            List<Integer> deltas = new ArrayList<>(n);
            int mode = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                int kind = mode == 0 ? r.nextInt(3) : mode == 1 ? (r.nextInt(10) == 0 ? 0 : 1) : mode == 2 ? 0 : r.nextInt(2);
                deltas.add(switch (kind) {
                    case 0 -> null;
                    case 1 -> r.nextInt(256);
                    default -> r.nextBoolean() ? -1 - r.nextInt(32768) : 256 + r.nextInt(32512);
                });
            }
            if (deltas.stream().allMatch(d -> d == null) && r.nextBoolean()) {
                deltas.set(n - 1, 5);
            }
            int base = r.nextInt(65536);
            int reference = r.nextInt(1 << 24);
            int count = r.nextInt(256);
            byte[] p = TransportFeedback.build(7, 9, base, reference, count, deltas);
            assertThat(p.length % 4).isZero();
            var blocks = Rtcp.blocks(p, 0, p.length);
            assertThat(blocks).hasSize(1);
            var parsed = TransportFeedback.parse(p, blocks.get(0));
            assertThat(parsed).as("round %d", round).isNotNull();
            assertThat(parsed.deltas()).isEqualTo(deltas);
            assertThat(parsed.baseSequence()).isEqualTo(base);
            assertThat(parsed.referenceTime()).isEqualTo(reference);
            assertThat(parsed.feedbackCount()).isEqualTo(count);
        }
    }

    @Test
    void arrivalTimesAddTheDeltasToTheReferenceTime() {
        byte[] p = TransportFeedback.build(1, 2, 0, 3, 0, Arrays.asList(8, null, 400, -4));
        var parsed = TransportFeedback.parse(p, Rtcp.blocks(p, 0, p.length).get(0));
        long ref = 3 * 64_000L;
        assertThat(parsed.arrivalMicros()).containsExactly(ref + 2_000, null, ref + 102_000, ref + 101_000);
        assertThat(parsed.receivedCount()).isEqualTo(3);
    }

    @Test
    void refusesWhatCannotBeEncoded() {
        assertThatThrownBy(() -> TransportFeedback.build(1, 2, 0, 0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportFeedback.build(1, 2, 0, 0, 0, List.of(40_000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TransportFeedback.fits(32_767)).isTrue();
        assertThat(TransportFeedback.fits(-32_768)).isTrue();
        assertThat(TransportFeedback.fits(32_768)).isFalse();
    }

    @Test
    void readsRtcpPaddingWhenThePeerUsesIt() {
        byte[] unpadded = TransportFeedback.build(1, 2, 100, 5, 1, Arrays.asList(1, 2, 3));
        // 20 + 2 + 3 = 25 bytes of content; as libwebrtc may send it: P bit, last byte = padding length.
        unpadded[0] |= 0x20;
        unpadded[unpadded.length - 1] = 3;
        var parsed = TransportFeedback.parse(unpadded, Rtcp.blocks(unpadded, 0, unpadded.length).get(0));
        assertThat(parsed.deltas()).containsExactly(1, 2, 3);
        // Padding that eats into the deltas is malformed.
        unpadded[unpadded.length - 1] = 8;
        assertThat(TransportFeedback.parse(unpadded, Rtcp.blocks(unpadded, 0, unpadded.length).get(0))).isNull();
    }

    @Test
    void malformedInputIsNullNeverAnException() {
        byte[] good = TransportFeedback.build(1, 2, 100, 5, 1, Arrays.asList(1, null, 300, 4, 5, 6, 7, 8, 9, 10));
        for (int cut = 4; cut < good.length; cut += 4) {
            byte[] truncated = Arrays.copyOf(good, cut);
            int words = cut / 4 - 1;
            truncated[2] = (byte) (words >> 8);
            truncated[3] = (byte) words;
            var blocks = Rtcp.blocks(truncated, 0, truncated.length);
            if (!blocks.isEmpty()) {
                assertThat(TransportFeedback.parse(truncated, blocks.get(0))).as("cut at %d", cut).isNull();
            }
        }
        byte[] reserved = good.clone();
        reserved[20] = (byte) 0x60; // run-length chunk of the reserved symbol 3
        assertThat(TransportFeedback.parse(reserved, Rtcp.blocks(reserved, 0, reserved.length).get(0))).isNull();
        byte[] zeroCount = good.clone();
        zeroCount[14] = 0;
        zeroCount[15] = 0;
        assertThat(TransportFeedback.parse(zeroCount, Rtcp.blocks(zeroCount, 0, zeroCount.length).get(0))).isNull();
        // Not a TWCC block at all.
        byte[] nack = Rtcp.nack(1, 2, List.of(5));
        assertThat(TransportFeedback.parse(nack, Rtcp.blocks(nack, 0, nack.length).get(0))).isNull();
        // A block that claims more than the array holds.
        assertThat(TransportFeedback.parse(good, new Rtcp.Block(0, good.length + 40, Rtcp.RTPFB, 15))).isNull();
        Random r = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[20 + r.nextInt(60)];
            r.nextBytes(b);
            b[0] = (byte) (0x80 | (r.nextBoolean() ? 0x20 : 0) | 15);
            b[1] = (byte) Rtcp.RTPFB;
            b[2] = 0;
            b[3] = (byte) (b.length / 4 - 1);
            if (r.nextBoolean()) {
                b[14] = 0;
                b[15] = (byte) r.nextInt(30);
            }
            int len = b.length & ~3;
            for (var block : Rtcp.blocks(b, 0, len)) {
                var parsed = TransportFeedback.parse(b, block);
                if (parsed != null) {
                    assertThat(parsed.statusCount()).isPositive();
                }
            }
        }
    }
}
