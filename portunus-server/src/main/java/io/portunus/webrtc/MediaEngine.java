package io.portunus.webrtc;

import io.netty.channel.EventLoop;
import io.portunus.config.CoreSettings;
import io.portunus.core.Clock;
import io.portunus.core.LiveSettings;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.dtls.DtlsWarmUp;
import io.portunus.media.ice.ReflexiveGatherer;
import io.portunus.media.srtp.SrtpProfile;
import io.portunus.net.EventLoops;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every PeerConnection shares: the DTLS certificate, the local addresses media may use,
 * the RTP port range, the I/O threads, and the live settings. Made once at start-up.
 */
public final class MediaEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);
    /** Enough for the elliptic-curve code to be compiled by C2 (measured: ~300 ms cold, ~5 ms after 30). */
    private static final int WARM_UP_HANDSHAKES = 30;

    private final EventLoops loops;
    private final CompletableFuture<DtlsCertificate> certificate;
    private final List<InetAddress> hostAddresses;
    private final PortRange ports;
    private final LiveSettings live;
    private final CoreSettings settings;
    private volatile boolean statsWithoutHandlers;
    private final DtlsSession.Options dtlsOptions;
    private final InetSocketAddress stunServer;
    private volatile ReflexiveGatherer.Timing reflexiveTiming =
            ReflexiveGatherer.Timing.defaults();

    /**
     * {@code certificate} may still be being made (key generation and Bouncy Castle's start-up
     * take a second or more on a busy machine): start-up does not wait for it, the first
     * PeerConnection does.
     */
    public MediaEngine(CoreSettings settings, LiveSettings live, EventLoops loops,
                       CompletableFuture<DtlsCertificate> certificate) {
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

    private final Map<EventLoop, MediaLoop> mediaLoops = new ConcurrentHashMap<>();

    /** The tick and write batching shared by the PeerConnections of one I/O thread. */
    MediaLoop mediaLoop(EventLoop loop) {
        return mediaLoops.computeIfAbsent(loop, l -> {
            MediaLoop media = new MediaLoop(l);
            totals.loop(media);
            return media;
        });
    }

    /** A new PeerConnection's thread, clock and sockets: the next I/O thread, round robin. */
    MediaIo newIo() {
        EventLoop loop = loops.workers().next();
        return new NettyMediaIo(loops, loop, mediaLoop(loop), dtlsOptions.threads());
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

    /**
     * Compiles the DTLS handshake's code in the background (a few handshakes in memory, see
     * {@link DtlsWarmUp}), so the first calls after a start do not each pay for it. On a platform
     * thread: ~1 s of CPU on a virtual thread would hold one of the carriers the request workers
     * run on.
     */
    public void warmUpDtls() {
        Threads.startDaemon("dtls-warm-up", () -> {
            long start = System.nanoTime();
            var options = dtlsOptions.withThreads(Threads.platformDaemonFactory("dtls-warm-up-"));
            int done = DtlsWarmUp.run(certificate(), options, WARM_UP_HANDSHAKES);
            LOG.debug("DTLS warm-up: {} handshakes in {} ms", done, (System.nanoTime() - start) / 1_000_000);
        });
    }

    /** The SRTP profiles offered or accepted, from media.srtp_profiles (default: all, Janus's order). */
    public DtlsSession.Options dtlsOptions() {
        return dtlsOptions;
    }

    private static DtlsSession.Options dtlsOptions(CoreSettings settings) {
        var options = DtlsSession.Options.defaults().withClock(Clock.SYSTEM::monotonicMicros)
                .withThreads(Threads.virtualFactory("dtls-"));
        if (settings.srtpProfiles.isEmpty()) {
            return options;
        }
        List<SrtpProfile> profiles = new ArrayList<>();
        for (String name : settings.srtpProfiles) {
            String n = name.trim().toUpperCase(Locale.ROOT).replaceFirst("^SRTP_", "");
            try {
                profiles.add(SrtpProfile.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("media.srtp_profiles: unknown profile '" + name
                        + "' (AES128_CM_SHA1_80, AES128_CM_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM)");
            }
        }
        return options.withProfiles(profiles);
    }

    /** nat.stun_server:stun_port resolved once at start-up, or null (no srflx candidates). */
    public InetSocketAddress stunServer() {
        return stunServer;
    }

    public ReflexiveGatherer.Timing reflexiveTiming() {
        return reflexiveTiming;
    }

    /** For tests that need a shorter give-up time than the default. */
    public void reflexiveTiming(ReflexiveGatherer.Timing timing) {
        this.reflexiveTiming = timing;
    }

    /** "host:port" (CoreSettings adds the port; an IPv6 literal may be bracketed). */
    static InetSocketAddress resolveStunServer(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            int port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 3478;
            var address = new InetSocketAddress(InetAddress.getByName(host), port);
            LOG.info("STUN server for srflx candidates: {}", address);
            return address;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot use nat.stun_server '{}' ({}): host candidates only", hostPort, e.getMessage());
            return null;
        }
    }

    /**
     * events.stats_period (0 = no stats events): with events broadcast to handlers, or to an
     * in-process listener such as the dashboard's ({@link #statsEventsWithoutHandlers}).
     */
    public int statsPeriodSeconds() {
        return settings.eventHandlers || statsWithoutHandlers ? settings.events.statsPeriod() : 0;
    }

    /** Media stats events even with {@code events.broadcast} off: the dashboard plots them. */
    public void statsEventsWithoutHandlers(boolean on) {
        statsWithoutHandlers = on;
    }

    public CoreSettings settings() {
        return settings;
    }
}
