package io.portunus.events;

import io.portunus.core.event.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a handler's {@code events = "..."} subscription list exactly as Janus does
 * (events.md §1): {@code none}/{@code all} as the whole string, else comma-separated labels
 * with leading (not trailing) spaces trimmed, case-insensitive; unknown words are ignored by
 * Janus, and returned here so that the caller can log them.
 */
public final class EventMask {

    /** The mask, and the words that named nothing (so "media " with its trailing space). */
    public record Parsed(int mask, List<String> unknownWords) {
    }

    private EventMask() {
    }

    public static Parsed parse(String list) {
        if (list == null) {
            return new Parsed(0, List.of());
        }
        String whole = list.toLowerCase(Locale.ROOT);
        if (whole.equals("none")) {
            return new Parsed(0, List.of());
        }
        if (whole.equals("all")) {
            return new Parsed(EventType.ALL, List.of());
        }
        int mask = 0;
        List<String> unknown = new ArrayList<>();
        for (String token : list.split(",", -1)) {
            String word = token.stripLeading();
            EventType type = EventType.ofLabel(word);
            if (type != null) {
                mask |= type.bit();
            } else if (!word.equalsIgnoreCase("no_events")) {
                unknown.add(word);
            }
        }
        return new Parsed(mask, List.copyOf(unknown));
    }

    /** Labels of the bits set, comma-separated, for logs and the {@code stats} reply. */
    public static String describe(int mask) {
        if (mask == EventType.ALL) {
            return "all";
        }
        if (mask == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (EventType t : EventType.values()) {
            if ((mask & t.bit()) != 0) {
                sb.append(sb.isEmpty() ? "" : ",").append(t.label());
            }
        }
        return sb.toString();
    }
}
