package io.portunus.media.rtcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RembScheduleTest {

    @Test
    void rampsUpOverTheFirstPacketsThenRepeatsTheCapEveryFiveSeconds() {
        RembSchedule s = new RembSchedule();
        long t = 1_000_000;
        // As Janus 1.1.2 sent to a publisher of a 128 kbit/s room.
        assertThat(s.due(t, 128_000)).isEqualTo(32_000);
        assertThat(s.due(t + 30_000, 128_000)).isEqualTo(42_666);
        assertThat(s.due(t + 60_000, 128_000)).isEqualTo(64_000);
        assertThat(s.due(t + 90_000, 128_000)).isEqualTo(128_000);
        assertThat(s.due(t + 100_000, 128_000)).isEqualTo(-1);
        assertThat(s.due(t + 90_000 + RembSchedule.PERIOD_MICROS - 1, 128_000)).isEqualTo(-1);
        assertThat(s.due(t + 90_000 + RembSchedule.PERIOD_MICROS, 128_000)).isEqualTo(128_000);
        assertThat(s.sent()).isEqualTo(5);
    }

    @Test
    void noCapNoRemb() {
        RembSchedule s = new RembSchedule();
        for (int i = 0; i < 10; i++) {
            assertThat(s.due(i * 10_000_000L, 0)).isEqualTo(-1);
        }
        assertThat(s.sent()).isZero();
    }

    @Test
    void aNewCapIsToldAtOnceAndALiftedOneOnce() {
        RembSchedule s = new RembSchedule();
        for (int i = 0; i < 4; i++) {
            s.due(i, 256_000);
        }
        assertThat(s.due(100, 256_000)).isEqualTo(-1);
        assertThat(s.due(200, 100_000)).isEqualTo(100_000);
        assertThat(s.due(300, 100_000)).isEqualTo(-1);
        assertThat(s.due(400, 0)).isEqualTo(RembSchedule.NO_CAP);
        assertThat(s.due(RembSchedule.PERIOD_MICROS * 3, 0)).isEqualTo(-1);
    }

    @Test
    void aCapChangedDuringTheRampEndsIt() {
        RembSchedule s = new RembSchedule();
        assertThat(s.due(0, 400_000)).isEqualTo(100_000);
        assertThat(s.due(10, 200_000)).isEqualTo(200_000);
        assertThat(s.due(20, 200_000)).isEqualTo(-1);
    }
}
