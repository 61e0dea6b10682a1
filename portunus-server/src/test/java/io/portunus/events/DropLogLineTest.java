package io.portunus.events;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portunus.core.event.EventType;
import io.portunus.core.event.SerializedEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drop line an operator reads: the first drop is logged at once, later ones are summed up
 * at most every 10 s, and each line's count covers every drop since the previous line (it used
 * to say "dropped 1 event(s)" with thousands dropped in the interval). Time is moved, not waited.
 */
class DropLogLineTest {

    @Test
    void eachDropLineCountsEveryDropSinceThePreviousLine() {
        AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
        HandlerPipeTest.Probe stuck = new HandlerPipeTest.Probe("janus.eventhandler.stuck", EventType.ALL);
        // Not started: nothing takes events from the queue, so it fills and then drops.
        HandlerPipe pipe = new HandlerPipe(stuck, "T", 10, now::get);
        Logger logger = (Logger) LoggerFactory.getLogger(HandlerPipe.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            offer(pipe, 10);
            assertThat(lines.list).isEmpty();
            offer(pipe, 1);
            assertThat(messages(lines)).containsExactly(
                    "Event handler janus.eventhandler.stuck: dropped 1 event(s): queue full, 10 events waiting; 1 dropped since start");
            offer(pipe, 19_895);
            assertThat(lines.list).as("within 10 s of the last line nothing more is logged").hasSize(1);
            now.addAndGet(TimeUnit.SECONDS.toNanos(10));
            offer(pipe, 1);
            assertThat(messages(lines)).last().isEqualTo(
                    "Event handler janus.eventhandler.stuck: dropped 19896 event(s): queue full, 10 events waiting; 19897 dropped since start");
            assertThat(pipe.dropped()).isEqualTo(19_897);
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static void offer(HandlerPipe pipe, int n) {
        for (int i = 0; i < n; i++) {
            pipe.offer(new SerializedEvent("{}".getBytes(StandardCharsets.UTF_8), 1, i, i));
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> lines) {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
