package io.portunus.dashboard;

import io.portunus.config.jcfg.ConfigGroup;

/**
 * The {@code dashboard} group of {@code janus.jcfg} (Portunus's own).
 *
 * @param enabled         serve {@code /dashboard/} on the Admin HTTP server and record calls
 * @param historyCalls    calls that ended kept, at most
 * @param historySeconds  how long a call that ended is kept
 * @param timelineEvents  events kept per handle (the first half and the latest half)
 * @param plotSeconds     how far back the handle page's plots reach
 * @param feedQueue       lines waiting per browser before that browser loses updates
 * @param feedBrowsers    browsers subscribed to the live feed at once, at most
 */
public record DashboardSettings(boolean enabled, int historyCalls, long historySeconds, int timelineEvents,
                                int plotSeconds, int feedQueue, int feedBrowsers) {

    public static DashboardSettings defaults() {
        return from(new ConfigGroup());
    }

    public static DashboardSettings from(ConfigGroup dashboard) {
        return new DashboardSettings(
                dashboard.bool("enabled", true),
                positive(dashboard.integer("history_calls", 200)),
                positive(dashboard.integer("history_seconds", 3600)),
                positive(dashboard.integer("timeline_events", 200)),
                positive(dashboard.integer("plot_seconds", 300)),
                positive(dashboard.integer("feed_queue", 2000)),
                positive(dashboard.integer("feed_browsers", 200)));
    }

    private static int positive(long value) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, value));
    }
}
