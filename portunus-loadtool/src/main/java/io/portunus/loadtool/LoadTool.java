package io.portunus.loadtool;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portunus.core.Clock;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.net.NettyDefaults;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Portunus's WebRTC load generator (issue #7): N concurrent EchoTest sessions through the
 * Janus API over HTTP, each a real WebRTC peer (ICE controlling, DTLS client, SRTP), sending
 * synthetic audio and video and measuring what the server echoes back. Works against any
 * Janus-compatible server (Portunus or Janus). All sessions share one or two Netty event loops;
 * media is paced by one ticker per loop.
 *
 * <pre>java -jar target/loadtool/portunus-loadtool.jar --server http://10.0.0.1:8088/janus --sessions 50</pre>
 */
public final class LoadTool {
    static final long TICK_MICROS = 2_000;

    final Options options;
    final DtlsCertificate certificate;
    final HttpJson http;
    final InetAddress localAddress;
    final Class<? extends DatagramChannel> datagramChannel;
    private final EventLoopGroup group;
    /**
     * VideoRoom mode: the publishers' own loop, so their pacing does not wait behind the
     * subscribers' receiving (which would lower what they send, not show as loss).
     */
    private final EventLoopGroup publisherGroup;
    private final Map<EventLoop, LoopState> loops = new HashMap<>();
    private final List<LoadSession> sessions = new ArrayList<>();
    private final PrintStream err = System.err;
    volatile boolean holding;
    /** The VideoRoom mode's rooms, publishers and subscribers; null in EchoTest mode. */
    private VideoRoomMode videoRoom;
    volatile boolean stopping;

    /** What one event loop owns: its sessions (for the ticker) and the delays of the last second. */
    private static final class LoopState {
        final List<LoadSession> sessions = new ArrayList<>();
        final Histogram recent = new Histogram();
    }

    private LoadTool(Options options) throws Exception {
        this.options = options;
        boolean epoll = Epoll.isAvailable();
        var factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(options.loops(), new DefaultThreadFactory("load-io", true), factory);
        this.publisherGroup = options.videoRoom()
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-publish", true), factory) : null;
        this.datagramChannel = epoll ? EpollDatagramChannel.class
                : NioDatagramChannel.class;
        this.http = new HttpJson(options.server(), epoll ? EpollSocketChannel.class
                : NioSocketChannel.class);
        this.certificate = DtlsCertificate.generate();
        this.localAddress = options.localAddress() != null ? InetAddress.getByName(options.localAddress())
                : routeTo(options.server().getHost());
    }

    /** The local address the kernel would use to reach the server. */
    private static InetAddress routeTo(String host) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
            return s.getLocalAddress();
        }
    }

    public static void main(String[] args) throws Exception {
        NettyDefaults.leakDetectionOffUnlessSet(); // as the server
        quietLogging();
        if (List.of(args).contains("--datachannel")) {
            System.exit(DataChannelLoad.main(args));   // its own mode, options and result (issue #17)
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException | IllegalArgumentException e) {
            if (e.getMessage() != null) {
                System.err.println("loadtool: " + e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        int rc = new LoadTool(options).run();
        System.exit(rc);
    }

    private static void quietLogging() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        enc.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setTarget("System.err");
        console.setEncoder(enc);
        console.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault("LOADTOOL_LOG", "ERROR")));
        // jitsi-srtp logs through java.util.logging: keep its INFO lines off the progress output.
        Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var h : Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    // ---- the run -------------------------------------------------------------------------------

    private int run() throws Exception {
        Options o = options;
        err.printf(Locale.ROOT, "loadtool: %s on %s (%s%s%s), ramp %.1f/s, hold %d s, local %s, %d loop(s)%n",
                o.videoRoom() ? o.rooms() + " VideoRoom room(s) x 1 publisher + " + o.subscribers() + " subscribers"
                        : o.sessions() + " EchoTest sessions", o.server(), o.audio() ? "audio" : "", o.audio() && o.video() ? "+" : "",
                o.video() ? "video " + o.videoBitrate() / 1000 + " kbps" : "", o.ramp(), o.duration(),
                localAddress.getHostAddress(), o.loops());
        for (int i = 0; i < o.loops() + (publisherGroup != null ? 1 : 0); i++) {
            EventLoop loop = i < o.loops() ? group.next() : publisherGroup.next();
            LoopState state = loops.computeIfAbsent(loop, l -> new LoopState());
            loop.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                for (LoadSession s : state.sessions) {
                    s.pump(now);
                }
            }, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
        }
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Progress progress = new Progress();
        videoRoom = o.videoRoom() ? new VideoRoomMode(this) : null;
        if (videoRoom == null) {
            // Ramp: session i starts at i / ramp seconds, on the loops in turn.
            for (int i = 0; i < o.sessions(); i++) {
                launch(Signalling.echoTest(), (long) (i * 1_000_000.0 / o.ramp()));
            }
            awaitSetup(t0, progress, o.sessions());
        } else {
            // Publishers first (subscribers need their feed ids), then the subscribers.
            awaitSetup(t0, progress, videoRoom.startPublishers());
            awaitSetup(t0, progress, videoRoom.startSubscribers());
        }
        // Warm-up: every session sends, nothing is counted yet (JIT, first key frames, queues).
        long warmEnd = System.nanoTime() + o.warmup() * 1_000_000_000L;
        while (System.nanoTime() < warmEnd - 200_000_000L) {
            sleepUntilNextSecond(t0);
            progress.print(t0, "warm");
        }
        // Hold: the measurement window.
        holding = true;
        for (LoadSession s : videoRoom != null ? List.<LoadSession>of() : sessions) {
            onLoop(s, () -> {
                if (s.audio != null) {
                    s.audio.windowStart = s.audio.next;
                }
                if (s.video != null) {
                    s.video.windowStart = s.video.next;
                }
            });
        }
        if (videoRoom != null) {
            videoRoom.openWindow();
        }
        ProcStat serverStart = o.serverPid() > 0 ? ProcStat.read(o.serverPid()) : null;
        ProcStat selfStart = ProcStat.read(ProcessHandle.current().pid());
        long holdStart = System.nanoTime();
        long holdEnd = holdStart + o.duration() * 1_000_000_000L;
        progress.reset();
        while (System.nanoTime() < holdEnd - 200_000_000L) {
            sleepUntilNextSecond(t0);
            progress.print(t0, "hold");
        }
        long now = System.nanoTime();
        if (now < holdEnd) {
            Thread.sleep((holdEnd - now) / 1_000_000);
        }
        if (videoRoom != null) {
            videoRoom.closeWindow();
        }
        boolean keepSending = o.afterHold() != null;
        for (LoadSession s : sessions) {
            onLoop(s, () -> {
                s.rtp.sending = keepSending;
                if (videoRoom == null && s.audio != null) {
                    s.audio.windowEnd = s.audio.next;
                }
                if (videoRoom == null && s.video != null) {
                    s.video.windowEnd = s.video.next;
                }
            });
        }
        double held = (System.nanoTime() - holdStart) / 1e9;
        ProcStat serverEnd = o.serverPid() > 0 ? ProcStat.read(o.serverPid()) : null;
        ProcStat selfEnd = ProcStat.read(ProcessHandle.current().pid());
        String afterHoldOutput = keepSending ? runAfterHold(o.afterHold()) : null;
        for (LoadSession s : sessions) {
            onLoop(s, () -> s.rtp.sending = false);
        }
        stopping = true;
        InFlightDrain.Waited drained = InFlightDrain.await(this::receivedInWindow, Clock.SYSTEM, Thread::sleep);
        ObjectNode result = LoadResult.of(o, videoRoom, sessions, started, held, serverStart, serverEnd);
        result.putObject("drain").put("seconds", LoadResult.round(drained.seconds(), 1))
                .put("packets_after_first_second", drained.afterFirstSecond());
        if (selfStart != null && selfEnd != null) {
            // The tool's own share of the machine over the window: on a small host it competes with the server.
            result.putObject("load_tool_process").put("cpu_seconds_per_second",
                    LoadResult.round((selfEnd.cpuSeconds() - selfStart.cpuSeconds()) / held, 3));
        }
        if (afterHoldOutput != null) {
            ObjectNode after = result.putObject("after_hold");
            after.put("command", o.afterHold());
            after.put("output", afterHoldOutput);
        }
        Closing.closeAll(sessions, x -> x.loop, LoadSession::close, err);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (publisherGroup != null) {
            publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (o.json()) {
            System.out.println(HttpJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            LoadResult.printTable(result, o);
        }
        return result.path("pass").asBoolean() ? 0 : 1;
    }

    /**
     * Runs the --after-hold command while every session keeps sending (outside the measured
     * window, so its own CPU does not count against the server's per-packet figure).
     */
    private String runAfterHold(String command) {
        err.println("loadtool: after the hold, with media still flowing: " + command);
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            return rc == 0 ? out : out + "\n(exit " + rc + ")";
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    /** Starts a session on the next loop after {@code delayMicros}; returns it. */
    LoadSession launch(Signalling signalling, long delayMicros) {
        EventLoop loop = signalling instanceof VideoRoomPublisher ? publisherGroup.next() : group.next();
        LoadSession s = new LoadSession(sessions.size(), loop, this, signalling);
        sessions.add(s);
        loop.schedule(() -> {
            loops.get(loop).sessions.add(s);
            s.start();
        }, delayMicros, TimeUnit.MICROSECONDS);
        return s;
    }

    /**
     * Prints progress once a second until every session is up or failed, at most the setup
     * timeout after the ramp of the last {@code launched} sessions; fails those still not up.
     */
    private void awaitSetup(long t0, Progress progress, int launched) throws InterruptedException {
        long rampEnd = System.nanoTime() + (long) (launched * 1e9 / options.ramp());
        long setupDeadline = rampEnd + options.setupTimeout() * 1_000_000_000L;
        while (true) {
            sleepUntilNextSecond(t0);
            progress.print(t0, "ramp");
            if (count(LoadSession.State.UP) + count(LoadSession.State.FAILED) == sessions.size()
                    || System.nanoTime() > setupDeadline) {
                break;
            }
        }
        for (LoadSession s : sessions) {
            if (s.state != LoadSession.State.UP && s.state != LoadSession.State.FAILED) {
                onLoop(s, () -> s.fail("not up " + options.setupTimeout() + " s after the ramp (state " + s.state + ")"));
            }
        }
    }

    List<LoadSession> sessions() {
        return sessions;
    }

    /**
     * Packets of the measurement window come back so far (echoed or forwarded), over all
     * sessions, read on each session's loop: after the last call every loop's writes are visible
     * to this thread.
     */
    private long receivedInWindow() {
        long[] total = new long[1];
        for (LoadSession s : sessions) {
            // On the session's loop: a barrier, after which the loop's writes are visible here.
            onLoop(s, () -> total[0] += (s.audio == null ? 0 : s.audio.receivedInWindow)
                    + (s.video == null ? 0 : s.video.receivedInWindow));
        }
        return total[0];
    }

    static void onLoop(LoadSession s, Runnable r) {
        try {
            s.loop.submit(r).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("event loop did not answer", e);
        }
    }

    private static void sleepUntilNextSecond(long t0) throws InterruptedException {
        long elapsed = System.nanoTime() - t0;
        long next = (elapsed / 1_000_000_000L + 1) * 1_000_000_000L;
        Thread.sleep(Math.max(1, (next - elapsed) / 1_000_000 + 2));
    }

    private int count(LoadSession.State state) {
        int n = 0;
        for (LoadSession s : sessions) {
            if (s.state == state) {
                n++;
            }
        }
        return n;
    }

    // ---- called by sessions, on their loop -------------------------------------------------------

    void sessionUp(LoadSession s) {
    }

    void sessionFailed(LoadSession s) {
        if (!stopping) {
            err.println("loadtool: session " + s.index + " failed: " + s.reason);
        }
    }

    Histogram recent(EventLoop loop) {
        return loops.get(loop).recent;
    }

    // ---- progress ------------------------------------------------------------------------------

    /** Once a second: rates and delays of the last second, read on each loop. */
    private final class Progress {
        long lastSent;
        long lastEchoed;
        ProcStat lastServer;
        ProcStat lastSelf;
        long lastNanos;

        void reset() {
        }

        void print(long t0, String phase) {
            long sent = 0;
            long echoed = 0;
            Histogram h = new Histogram();
            for (Map.Entry<EventLoop, LoopState> e : loops.entrySet()) {
                try {
                    long[] counts = e.getKey().submit(() -> {
                        long se = 0;
                        long ec = 0;
                        for (LoadSession s : e.getValue().sessions) {
                            se += s.expectedCount();
                            ec += s.receivedCount();
                        }
                        h.add(e.getValue().recent);
                        e.getValue().recent.reset();
                        return new long[] {se, ec};
                    }).get(2, TimeUnit.SECONDS);
                    sent += counts[0];
                    echoed += counts[1];
                } catch (Exception ex) {
                    err.println("loadtool: event loop busy: " + ex);
                }
            }
            long now = System.nanoTime();
            double dt = lastNanos == 0 ? 1 : (now - lastNanos) / 1e9;
            long ds = sent - lastSent;
            long de = echoed - lastEchoed;
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "[%4ds %s] up %d/%d failed %d | tx %.0f pkt/s rx %.0f pkt/s | loss %.2f%%",
                    (now - t0) / 1_000_000_000L, phase, count(LoadSession.State.UP), sessions.size(),
                    count(LoadSession.State.FAILED), ds / dt, de / dt, ds == 0 ? 0.0 : Math.max(0, 100.0 * (ds - de) / ds)));
            if (h.count() > 0) {
                sb.append(String.format(Locale.ROOT, " | echo p50 %.2f ms p99 %.2f ms", h.percentile(50) / 1000.0,
                        h.percentile(99) / 1000.0));
            }
            if (options.serverPid() > 0) {
                ProcStat p = ProcStat.read(options.serverPid());
                if (p != null && lastServer != null) {
                    sb.append(String.format(Locale.ROOT, " | server cpu %.2f s/s rss %d MiB thr %d",
                            (p.cpuSeconds() - lastServer.cpuSeconds()) / dt, p.rssKib() / 1024, p.threads()));
                }
                lastServer = p;
            }
            ProcStat self = ProcStat.read(ProcessHandle.current().pid());
            if (self != null && lastSelf != null) {
                sb.append(String.format(Locale.ROOT, " | tool cpu %.2f s/s", (self.cpuSeconds() - lastSelf.cpuSeconds()) / dt));
            }
            lastSelf = self;
            err.println(sb);
            lastSent = sent;
            lastEchoed = echoed;
            lastNanos = now;
        }
    }
}
