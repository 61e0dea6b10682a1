package io.portunus.events;

import io.portunus.core.event.SerializedEvent;

import java.util.List;

/**
 * Joins already-serialised events into what a handler sends: one event as it is, or a batch
 * as a JSON array ({@code grouping}), by concatenating the shared bytes, never re-serialising.
 */
public final class Batches {

    private Batches() {
    }

    public static byte[] array(List<SerializedEvent> events, JsonStyle style) {
        int size = 2 + Math.max(0, events.size() - 1);
        for (SerializedEvent e : events) {
            size += e.json().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '[';
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] json = events.get(i).json();
            System.arraycopy(json, 0, out, at, json.length);
            at += json.length;
        }
        out[at] = ']';
        return style.format(out);
    }

    public static byte[] single(SerializedEvent event, JsonStyle style) {
        return style.format(event.json());
    }
}
