package io.portunus.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.Session;
import io.portunus.webrtc.PeerConnection;
import io.portunus.webrtc.WebRtc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions, handles by plugin, PeerConnections by plugin and set-up phase: counted by walking
 * the sessions once per scrape ({@link #refresh()}), so creating and destroying them costs
 * nothing extra. The label values are the loaded plugins' package names and the fixed phases,
 * registered up front: the series are the same with one session or thousands.
 */
final class GatewayMeters {
    static final List<String> PHASES = List.of("ice", "dtls", "connected");

    private final Gateway gateway;
    private volatile int sessions;
    private volatile Map<String, int[]> byPlugin = Map.of();

    GatewayMeters(Gateway gateway) {
        this.gateway = gateway;
    }

    void bindTo(MeterRegistry registry) {
        Gauge.builder("portunus.sessions", this, m -> m.sessions)
                .description("Janus API sessions").register(registry);
        for (String plugin : gateway.plugins().keySet()) {
            Gauge.builder("portunus.handles", this, m -> m.count(plugin, 0))
                    .tag("plugin", plugin).description("Handles attached, by plugin").register(registry);
            for (int i = 0; i < PHASES.size(); i++) {
                int slot = i + 1;
                Gauge.builder("portunus.peerconnections", this, m -> m.count(plugin, slot))
                        .tag("plugin", plugin).tag("state", PHASES.get(i))
                        .description("PeerConnections by plugin and set-up state (ice: connectivity checks, dtls: handshake, connected: SRTP keyed)")
                        .register(registry);
            }
        }
    }

    private double count(String plugin, int slot) {
        int[] c = byPlugin.get(plugin);
        return c == null ? 0 : c[slot];
    }

    /** One walk over the sessions: [handles, ice, dtls, connected] per plugin. */
    void refresh() {
        Map<String, int[]> counts = new HashMap<>();
        int n = 0;
        for (Session s : gateway.sessions()) {
            n++;
            for (Handle h : s.handles()) {
                int[] c = counts.computeIfAbsent(h.plugin().info().packageName(), k -> new int[1 + PHASES.size()]);
                c[0]++;
                PeerConnection pc = WebRtc.peerConnection(h);
                if (pc != null) {
                    int phase = PHASES.indexOf(pc.phase());
                    if (phase >= 0) {
                        c[phase + 1]++;
                    }
                }
            }
        }
        sessions = n;
        byPlugin = counts;
    }
}
