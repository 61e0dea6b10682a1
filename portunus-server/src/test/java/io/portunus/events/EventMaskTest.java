package io.portunus.events;

import io.portunus.core.event.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code events} list as Janus parses it (events.md §1). */
class EventMaskTest {

    @Test
    void noneAndAllAreWholeStringsAnyCase() {
        assertThat(EventMask.parse("none").mask()).isZero();
        assertThat(EventMask.parse("NONE").mask()).isZero();
        assertThat(EventMask.parse("all").mask()).isEqualTo(0xffffffff);
        assertThat(EventMask.parse("All").mask()).isEqualTo(0xffffffff);
        assertThat(EventMask.parse(null).mask()).isZero();
    }

    @Test
    void labelsAreOredCaseInsensitivelyWithLeadingSpacesTrimmed() {
        assertThat(EventMask.parse("sessions, Handles,  core").mask()).isEqualTo(1 | 2 | 256);
        assertThat(EventMask.parse("external,jsep,webrtc,media,plugins,transports").mask())
                .isEqualTo(4 | 8 | 16 | 32 | 64 | 128);
    }

    @Test
    void trailingSpacesAreNotTrimmedAndUnknownWordsAreReportedThenIgnored() {
        EventMask.Parsed p = EventMask.parse("media ,sesions,handles");
        assertThat(p.mask()).isEqualTo(2);
        assertThat(p.unknownWords()).containsExactly("media ", "sesions");
    }

    @Test
    void noEventsIsHarmlessAndAllInsideAListIsNotSpecial() {
        assertThat(EventMask.parse("no_events,core").mask()).isEqualTo(256);
        assertThat(EventMask.parse("no_events,core").unknownWords()).isEmpty();
        assertThat(EventMask.parse("core,all").mask()).isEqualTo(256);
        assertThat(EventMask.parse("core,all").unknownWords()).containsExactly("all");
    }

    @Test
    void describeNamesTheBits() {
        assertThat(EventMask.describe(1 | 256)).isEqualTo("sessions,core");
        assertThat(EventMask.describe(0)).isEqualTo("none");
        assertThat(EventMask.describe(EventType.ALL)).isEqualTo("all");
    }
}
