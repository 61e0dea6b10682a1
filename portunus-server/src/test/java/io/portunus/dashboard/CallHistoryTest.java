package io.portunus.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.core.Gateway;
import io.portunus.core.Json;
import io.portunus.core.ManualClock;
import io.portunus.core.event.Event;
import io.portunus.core.event.MediaEvent;
import io.portunus.core.event.MediaStats;
import io.portunus.core.event.Origin;
import io.portunus.core.event.WebRtcEvent;
import io.portunus.events.EventBus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls that ended: what the recorder keeps of a call, and the history's bounds by count and age. */
class CallHistoryTest {
    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus(true, "test", clock, false);

    private HandleRecord endedCall(long handleId) {
        HandleRecord r = new HandleRecord(1, handleId, 10, 300);
        r.attached(clock.wallMicros(), "janus.plugin.echotest", null);
        r.ended(clock.wallMicros());
        return r;
    }

    @Test
    void boundedByCountNewestFirst() {
        CallHistory history = new CallHistory(3, 3600, clock::wallMicros);
        for (long id = 1; id <= 5; id++) {
            history.add(endedCall(id));
        }
        assertThat(history.list()).extracting(r -> r.handleId).containsExactly(5L, 4L, 3L);
        assertThat(history.find(1)).isNull();
        assertThat(history.find(4)).isNotNull();
    }

    @Test
    void boundedByAge() {
        CallHistory history = new CallHistory(100, 60, clock::wallMicros);
        history.add(endedCall(1));
        clock.advance(Duration.ofSeconds(30));
        history.add(endedCall(2));
        clock.advance(Duration.ofSeconds(31));
        assertThat(history.list()).extracting(r -> r.handleId).containsExactly(2L);
        clock.advance(Duration.ofSeconds(30));
        assertThat(history.size()).isZero();
    }

    @Test
    void timelineKeepsHowTheCallBeganAndTheLatestEvents() {
        Timeline timeline = new Timeline(4);
        for (int i = 0; i < 10; i++) {
            timeline.add(i, new WebRtcEvent.IceState(Origin.handle(1, 2, null), "s" + i, 1, 1));
        }
        assertThat(timeline.entries()).extracting(e -> ((WebRtcEvent.IceState) e.event()).state())
                .containsExactly("s0", "s1", "s8", "s9");
        assertThat(timeline.leftOut()).isEqualTo(6);
    }

    @Test
    void aDetachedHandleIsKeptWithReasonStatsAndTimeline() {
        DashboardSettings settings = DashboardSettings.defaults();
        Gateway gateway = new Gateway(CoreSettings.defaults(), Map.of(), clock);
        CallHistory history = new CallHistory(10, 3600, clock::wallMicros);
        LiveFeed feed = new LiveFeed(10, 10, (e, t) -> bus.serialize(e, t).json());
        CallRecorder recorder = new CallRecorder(settings, gateway, h -> Json.object(), history, feed);
        Origin handle = Origin.handle(11, 22, "caller-1");

        emit(recorder, new Event.HandleEvent(handle, "attached", "janus.plugin.echotest", null));
        emit(recorder, new WebRtcEvent.IceState(handle, "connecting", 1, 1));
        emit(recorder, new WebRtcEvent.IceState(handle, "connected", 1, 1));
        emit(recorder, new WebRtcEvent.DtlsState(handle, "connected", 1, 1, 0));
        emit(recorder, WebRtcEvent.Connection.up(handle));
        for (int second = 1; second <= 3; second++) {
            emit(recorder, new MediaEvent.Stats(handle, videoStats(second * 100L, second * 2L)));
        }
        assertThat(recorder.live(22).bitrates()).containsExactly(800_000L, 400_000L);
        emit(recorder, WebRtcEvent.Connection.hangup(handle, "Admin API"));
        emit(recorder, new Event.HandleEvent(handle, "detached", "janus.plugin.echotest", null));
        // The hangup of a detach arrives after "detached": it joins the ended call's timeline and keeps the first reason.
        emit(recorder, WebRtcEvent.Connection.hangup(handle, "Detach"));

        assertThat(recorder.live(22)).isNull();
        List<HandleRecord> ended = history.list();
        assertThat(ended).hasSize(1);
        ObjectNode call = ended.get(0).details(this::eventJson);
        assertThat(call.get("hangup_reason").asText()).isEqualTo("Admin API");
        assertThat(call.get("opaque_id").asText()).isEqualTo("caller-1");
        assertThat(call.get("plugin").asText()).isEqualTo("janus.plugin.echotest");
        assertThat(call.get("duration_ms").asLong()).isEqualTo(9_000); // attached at second 1, detached at second 10
        JsonNode video = call.path("final_stats").path("video");
        assertThat(video.get("packets_received").asLong()).isEqualTo(300);
        assertThat(video.get("lost").asLong()).isEqualTo(6);
        assertThat(video.get("in_bps").asLong()).isEqualTo(800_000);
        List<String> timeline = call.get("timeline").findValuesAsText("ice");
        assertThat(timeline).containsExactly("connecting", "connected");
        assertThat(call.get("timeline").toString()).contains("\"dtls\":\"connected\"", "\"connection\":\"webrtcup\"",
                "\"reason\":\"Admin API\"", "\"reason\":\"Detach\"", "\"name\":\"detached\"");
        assertThat(call.get("timeline").toString()).doesNotContain("bytes-received-lastsec");
        assertThat(call.get("samples")).hasSize(3);
    }

    private void emit(CallRecorder recorder, Event event) {
        clock.advance(Duration.ofSeconds(1));
        recorder.onEvent(event, clock.wallMicros());
    }

    private static MediaStats videoStats(long packets, long lost) {
        return new MediaStats("1", 1, "video",
                new MediaStats.Rtp("vp8", 90000, 12, null, lost, 0, 3L, 4L, 100, 100, 100, 100),
                packets, packets, packets * 1000, packets * 1000,
                new MediaStats.Rates(100_000, 50_000, 1, 2, 0), null);
    }

    private JsonNode eventJson(Event event, long timestamp) {
        try {
            return Json.MAPPER.readTree(bus.serialize(event, timestamp).json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
