package io.portunus.media.pc;

import io.portunus.config.CoreSettings;
import io.portunus.core.LiveSettings;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.net.EventLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;

/**
 * What every PeerConnection shares: the DTLS certificate, the local addresses media may use,
 * the RTP port range, the I/O threads, and the live settings. Made once at start-up.
 */
public final class MediaEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);

    private final EventLoops loops;
    private final java.util.concurrent.CompletableFuture<DtlsCertificate> certificate;
    private final List<InetAddress> hostAddresses;
    private final PortRange ports;
    private final LiveSettings live;
    private final CoreSettings settings;
    private final io.portunus.media.dtls.DtlsSession.Options dtlsOptions;
    private final java.net.InetSocketAddress stunServer;
    private volatile io.portunus.media.ice.ReflexiveGatherer.Timing reflexiveTiming =
            io.portunus.media.ice.ReflexiveGatherer.Timing.defaults();

    /**
     * {@code certificate} may still be being made (key generation and Bouncy Castle's start-up
     * take a second or more on a busy machine): start-up does not wait for it, the first
     * PeerConnection does.
     */
    public MediaEngine(CoreSettings settings, LiveSettings live, EventLoops loops,
                       java.util.concurrent.CompletableFuture<DtlsCertificate> certificate) {
        this.settings = settings;
        this.live = live;
        this.loops = loops;
        this.certificate = certificate;
        this.ports = PortRange.parse(settings.media.rtpPortRange());
        this.dtlsOptions = dtlsOptions(settings);
        this.stunServer = resolveStunServer(settings.media.stunServer());
        this.hostAddresses = HostAddresses.select(settings.media.iceEnforceList(), settings.media.iceIgnoreList(),
                settings.media.ipv6(), settings.media.ipv6LinkLocal());
        if (hostAddresses.isEmpty()) {
            LOG.warn("No usable address for media (check nat.ice_enforce_list / ice_ignore_list): WebRTC offers will fail");
        } else {
            LOG.info("Media host addresses: {}, RTP ports {}", hostAddresses,
                    settings.media.rtpPortRange() == null ? "any" : settings.media.rtpPortRange());
        }
    }

    private final MediaTotals totals = new MediaTotals();

    /** Counters and failures the metrics read (io.portunus.metrics), off the packet path. */
    public MediaTotals totals() {
        return totals;
    }

    private final java.util.Map<io.netty.channel.EventLoop, MediaLoop> mediaLoops = new java.util.concurrent.ConcurrentHashMap<>();

    /** The tick and write batching shared by the PeerConnections of one I/O thread. */
    MediaLoop mediaLoop(io.netty.channel.EventLoop loop) {
        return mediaLoops.computeIfAbsent(loop, MediaLoop::new);
    }

    public EventLoops loops() {
        return loops;
    }

    public DtlsCertificate certificate() {
        return certificate.join();
    }

    public List<InetAddress> hostAddresses() {
        return hostAddresses;
    }

    public PortRange ports() {
        return ports;
    }

    public LiveSettings live() {
        return live;
    }

    /** The SRTP profiles offered or accepted, from media.srtp_profiles (default: all, Janus's order). */
    public io.portunus.media.dtls.DtlsSession.Options dtlsOptions() {
        return dtlsOptions;
    }

    private static io.portunus.media.dtls.DtlsSession.Options dtlsOptions(CoreSettings settings) {
        var options = io.portunus.media.dtls.DtlsSession.Options.defaults();
        if (settings.srtpProfiles.isEmpty()) {
            return options;
        }
        List<io.portunus.media.srtp.SrtpProfile> profiles = new java.util.ArrayList<>();
        for (String name : settings.srtpProfiles) {
            String n = name.trim().toUpperCase(java.util.Locale.ROOT).replaceFirst("^SRTP_", "");
            try {
                profiles.add(io.portunus.media.srtp.SrtpProfile.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("media.srtp_profiles: unknown profile '" + name
                        + "' (AES128_CM_SHA1_80, AES128_CM_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM)");
            }
        }
        return options.withProfiles(profiles);
    }

    /** nat.stun_server:stun_port resolved once at start-up, or null (no srflx candidates). */
    public java.net.InetSocketAddress stunServer() {
        return stunServer;
    }

    public io.portunus.media.ice.ReflexiveGatherer.Timing reflexiveTiming() {
        return reflexiveTiming;
    }

    /** For tests that need a shorter give-up time than the default. */
    public void reflexiveTiming(io.portunus.media.ice.ReflexiveGatherer.Timing timing) {
        this.reflexiveTiming = timing;
    }

    /** "host:port" (CoreSettings adds the port; an IPv6 literal may be bracketed). */
    static java.net.InetSocketAddress resolveStunServer(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            int port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 3478;
            var address = new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port);
            LOG.info("STUN server for srflx candidates: {}", address);
            return address;
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("Cannot use nat.stun_server '{}' ({}): host candidates only", hostPort, e.getMessage());
            return null;
        }
    }

    /** events.stats_period (0 = no stats events). */
    public int statsPeriodSeconds() {
        return settings.eventHandlers ? settings.events.statsPeriod() : 0;
    }

    public CoreSettings settings() {
        return settings;
    }
}
