package io.portunus.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Vp8DescriptorTest {

    /** A descriptor with X, I (15-bit picture id), L, T set, then one byte of VP8 payload header. */
    static byte[] full(boolean start, int tid, boolean sync, boolean key) {
        return new byte[] {
                (byte) (0x80 | (start ? 0x10 : 0)), // X, S, PID 0
                (byte) 0xE0,                          // I, L, T
                (byte) 0x80 | 0x12, 0x34,             // M=1, picture id 0x1234
                (byte) 0x07,                          // TL0PICIDX
                (byte) ((tid << 6) | (sync ? 0x20 : 0)),
                (byte) (key ? 0x10 : 0x11)};          // VP8 header: P bit 0 = key frame
    }

    @Test
    void readsTemporalLayerAndKeyFrame() {
        byte[] b = full(true, 0, false, true);
        Vp8Descriptor d = Vp8Descriptor.parse(b, 0, b.length);
        assertThat(d.headerLength()).isEqualTo(6);
        assertThat(d.keyFrame()).isTrue();
        assertThat(d.startsFrame()).isTrue();
        assertThat(d.pictureId()).isEqualTo(0x1234);
        assertThat(d.tl0PicIdx()).isEqualTo(7);
        assertThat(d.temporalId()).isZero();

        b = full(true, 2, true, false);
        d = Vp8Descriptor.parse(b, 0, b.length);
        assertThat(d.keyFrame()).isFalse();
        assertThat(d.temporalId()).isEqualTo(2);
        assertThat(d.layerSync()).isTrue();

        b = full(false, 1, false, true); // a continuation packet is never "the key frame"
        assertThat(Vp8Descriptor.parse(b, 0, b.length).keyFrame()).isFalse();
    }

    @Test
    void minimalDescriptorHasNoTemporalLayer() {
        byte[] b = {0x10, 0x00, 0x00};
        Vp8Descriptor d = Vp8Descriptor.parse(b, 0, b.length);
        assertThat(d.headerLength()).isEqualTo(1);
        assertThat(d.keyFrame()).isTrue();
        assertThat(d.temporalId()).isEqualTo(-1);
        assertThat(d.pictureId()).isEqualTo(-1);
    }

    @Test
    void truncatedOrRandomInputNeverThrows() {
        byte[] good = full(true, 1, true, true);
        for (int n = 0; n < good.length - 1; n++) {
            Vp8Descriptor d = Vp8Descriptor.parse(good, 0, n);
            assertThat(d == null || !d.keyFrame()).as("truncated at %d", n).isTrue();
        }
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(10)];
            r.nextBytes(b);
            Vp8Descriptor.parse(b, 0, b.length);
            Vp8Descriptor.parse(b, r.nextInt(3), r.nextInt(12) - 1);
        }
    }
}
