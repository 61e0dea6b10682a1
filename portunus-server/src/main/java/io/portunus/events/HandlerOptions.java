package io.portunus.events;

import io.portunus.config.jcfg.ConfigGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options every Janus event handler has (event-handlers.md, "common to all"):
 * {@code enabled}, {@code events} (mask, default none), {@code grouping} (default true) and
 * {@code json}. The mask and grouping can change at run time through {@code tweak}.
 */
public final class HandlerOptions {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerOptions.class);
    /** Janus's batch cap when grouping. */
    public static final int GROUP_SIZE = 100;

    private final String handler;
    public final boolean enabled;
    public final JsonStyle json;
    private volatile int mask;
    private volatile boolean grouping;

    public HandlerOptions(ConfigGroup general, String handler) {
        this(general, handler, true);
    }

    /** For a handler whose {@code grouping} defaults to off (kafkaevh: one record per event). */
    public HandlerOptions(ConfigGroup general, String handler, boolean groupingDefault) {
        this.handler = handler;
        this.enabled = general.bool("enabled", false);
        this.grouping = general.bool("grouping", groupingDefault);
        String jsonOption = general.string("json", "compact");
        JsonStyle style = JsonStyle.of(jsonOption);
        if (style == null) {
            LOG.warn("{}: unsupported json format '{}', using compact", handler, jsonOption);
            style = JsonStyle.COMPACT;
        }
        this.json = style;
        setEvents(general.string("events", "none"));
    }

    public int mask() {
        return mask;
    }

    public boolean grouping() {
        return grouping;
    }

    public void grouping(boolean on) {
        grouping = on;
    }

    /** Replaces the mask, as Janus does; words that name no event type are logged, then ignored. */
    public void setEvents(String list) {
        EventMask.Parsed parsed = EventMask.parse(list);
        for (String word : parsed.unknownWords()) {
            LOG.warn("{}: unknown event type '{}' in events = \"{}\", ignored (known: none, all, sessions, handles, "
                    + "external, jsep, webrtc, media, plugins, transports, core)", handler, word, list);
        }
        mask = parsed.mask();
    }
}
