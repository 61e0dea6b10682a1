package io.portunus.core.event;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;

/**
 * Type 32, media of a handle's PeerConnection (events.md §4.5): receiving state, slow link
 * and the periodic statistics, one event per medium or, with {@code combine_media_stats}, one
 * event whose body is an array.
 */
public sealed interface MediaEvent extends Event {

    @Override
    default EventType type() {
        return EventType.MEDIA;
    }

    /** Subtype 1: media started or stopped arriving; {@code substream} (simulcast) and {@code seconds} optional. */
    record State(Origin origin, String media, String mid, Integer substream, boolean receiving, Integer seconds)
            implements MediaEvent {
        @Override
        public int subtype() {
            return EventType.MEDIA_STATE;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("media", media);
            g.writeStringField("mid", mid);
            if (substream != null) {
                g.writeNumberField("substream", substream);
            }
            g.writeBooleanField("receiving", receiving);
            if (seconds != null) {
                g.writeNumberField("seconds", seconds);
            }
            g.writeEndObject();
        }
    }

    /** Subtype 2: {@code slow_link} is {@code uplink} or {@code downlink}. */
    record SlowLink(Origin origin, String mid, String media, String direction, int lostLastSec) implements MediaEvent {
        @Override
        public int subtype() {
            return EventType.MEDIA_SLOWLINK;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("mid", mid);
            g.writeStringField("media", media);
            g.writeStringField("slow_link", direction);
            g.writeNumberField("lost_lastsec", lostLastSec);
            g.writeEndObject();
        }
    }

    /** Subtype 3, one medium. */
    record Stats(Origin origin, MediaStats stats) implements MediaEvent {
        @Override
        public int subtype() {
            return EventType.MEDIA_STATS;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            stats.write(g);
        }
    }

    /** Subtype 3 with {@code combine_media_stats}: every medium of the PeerConnection in one array. */
    record CombinedStats(Origin origin, List<MediaStats> stats) implements MediaEvent {
        @Override
        public int subtype() {
            return EventType.MEDIA_STATS;
        }

        @Override
        public void writeBody(JsonGenerator g) throws IOException {
            g.writeStartArray();
            for (MediaStats s : stats) {
                s.write(g);
            }
            g.writeEndArray();
        }
    }
}
