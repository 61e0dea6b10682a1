package io.portunus.loadtool;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
        Thread.sleep(1_000); // drain what is still in flight
        for (LoadSession s : sessions) {
            onLoop(s, () -> { });  // a barrier: the loop's writes are visible from here on
        }
        ObjectNode result = result(started, held, serverStart, serverEnd);
        if (selfStart != null && selfEnd != null) {
            // The tool's own share of the machine over the window: on a small host it competes with the server.
            result.putObject("load_tool_process").put("cpu_seconds_per_second",
                    round((selfEnd.cpuSeconds() - selfStart.cpuSeconds()) / held, 3));
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
            printTable(result);
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

    // ---- the result ----------------------------------------------------------------------------

    private ObjectNode result(Instant started, double held, ProcStat serverStart, ProcStat serverEnd) {
        Options o = options;
        ObjectNode r = HttpJson.JSON.createObjectNode();
        r.put("tool", "portunus-loadtool");
        r.put("started_at", started.toString());
        r.put("server", o.server().toString());
        r.put("sessions", videoRoom == null ? o.sessions() : o.rooms() * o.subscribers());
        r.put("ramp_per_second", o.ramp());
        r.put("duration_s", o.duration());
        r.put("warmup_s", o.warmup());
        r.put("held_s", round(held, 3));
        r.put("audio", o.audio());
        r.put("video", o.video());
        r.put("video_bitrate", o.videoBitrate());
        r.put("loops", o.loops());
        r.put("mode", videoRoom == null ? "echotest" : "videoroom");
        r.put("simulcast", o.simulcast());
        if (videoRoom != null) {
            r.put("rooms", o.rooms());
            r.put("subscribers_per_room", o.subscribers());
            r.put("publishers_up", (int) videoRoom.publishers().stream().filter(p -> p.upNanos != 0
                    && p.state != LoadSession.State.FAILED).count());
            r.put("publisher_late_ticks", videoRoom.publishers().stream().mapToLong(p -> p.rtp.lateTicks).sum());
            ArrayNode pubs = r.putArray("publishers");
            for (LoadSession p : videoRoom.publishers()) {
                ObjectNode j = pubs.addObject();
                j.put("room", ((VideoRoomPublisher) p.signalling).room);
                j.put("state", p.state.name().toLowerCase(Locale.ROOT));
                if (p.reason != null) {
                    j.put("reason", p.reason);
                }
                j.put("audio_sent", p.audio == null ? 0 : p.audio.sentInWindow());
                j.put("video_sent", p.video == null ? 0 : p.video.sentInWindow());
            }
        }
        Histogram all = new Histogram();
        Histogram setup = new Histogram();
        long sent = 0;
        long echoed = 0;
        long lateTicks = 0;
        int up = 0;
        int failed = 0;
        int echoing = 0;
        double worstLoss = 0;
        double jitterA = 0;
        double jitterV = 0;
        int nA = 0;
        int nV = 0;
        boolean pass = true;
        ArrayNode per = HttpJson.JSON.createArrayNode();
        for (LoadSession s : videoRoom != null ? videoRoom.subscribers() : sessions) {
            ObjectNode j = per.addObject();
            j.put("index", s.index);
            if (s.signalling instanceof VideoRoomSubscriber sub) {
                j.put("room", sub.room);
            }
            j.put("state", s.state.name().toLowerCase(Locale.ROOT));
            if (s.reason != null) {
                j.put("reason", s.reason);
            }
            j.put("setup_ms", round(s.setupMillis(), 1));
            if (s.setupMillis() >= 0) {
                setup.record((long) (s.setupMillis() * 1000));
            }
            boolean ok = s.state == LoadSession.State.UP || s.state == LoadSession.State.CLOSED && s.upNanos != 0;
            if (s.state == LoadSession.State.FAILED) {
                failed++;
            } else if (s.upNanos != 0) {
                up++;
            }
            long sSent = 0;
            long sEchoed = 0;
            boolean allStreamsEcho = true;
            for (StreamStats st : new StreamStats[] {s.audio, s.video}) {
                if (st == null) {
                    continue;
                }
                ObjectNode k = j.putObject(st.video ? "video" : "audio");
                k.put("sent", st.sentInWindow());
                k.put("echoed", st.receivedInWindow);
                k.put("loss_percent", round(st.lossPercent(), 3));
                k.put("jitter_ms", round(st.jitterNanos / 1e6, 3));
                k.put("echo_p50_ms", round(st.delays.percentile(50) / 1000.0, 3));
                k.put("echo_p99_ms", round(st.delays.percentile(99) / 1000.0, 3));
                k.put("duplicates", st.duplicates);
                sSent += st.sentInWindow();
                sEchoed += st.receivedInWindow;
                all.add(st.delays);
                if (st.receivedInWindow == 0) {
                    allStreamsEcho = false;
                }
                if (st.received > 0) {
                    if (st.video) {
                        jitterV += st.jitterNanos / 1e6;
                        nV++;
                    } else {
                        jitterA += st.jitterNanos / 1e6;
                        nA++;
                    }
                }
            }
            double loss = sSent == 0 ? 100 : Math.max(0, 100.0 * (sSent - sEchoed) / sSent);
            j.put("loss_percent", round(loss, 3));
            j.put("rtcp_in", s.rtp.rtcpIn);
            if (o.simulcast()) {
                j.put("lower_layer_packets", s.rtp.otherLayerIn);
            }
            j.put("srtp_errors", s.rtp.srtpErrors);
            sent += sSent;
            echoed += sEchoed;
            lateTicks += s.rtp.lateTicks;
            if (ok && allStreamsEcho) {
                echoing++;
                worstLoss = Math.max(worstLoss, loss);
            } else {
                worstLoss = 100;
            }
            if (!ok || !allStreamsEcho || loss >= o.maxLoss()) {
                pass = false;
            }
        }
        r.put("sessions_up", up);
        r.put("sessions_failed", failed);
        r.put("sessions_echoing", echoing);
        r.put("setup_ms_p50", round(setup.percentile(50) / 1000.0, 1));
        r.put("setup_ms_max", round(setup.maxMicros() / 1000.0, 1));
        r.put("packets_sent", sent);
        r.put("packets_echoed", echoed);
        r.put("packets_per_second", round(echoed / held, 1));
        r.put("loss_percent", round(sent == 0 ? 100 : Math.max(0, 100.0 * (sent - echoed) / sent), 3));
        r.put("worst_session_loss_percent", round(worstLoss, 3));
        ObjectNode d = r.putObject("echo_delay_ms");
        d.put("p50", round(all.percentile(50) / 1000.0, 3));
        d.put("p90", round(all.percentile(90) / 1000.0, 3));
        d.put("p99", round(all.percentile(99) / 1000.0, 3));
        d.put("max", round(all.maxMicros() / 1000.0, 3));
        d.put("mean", round(all.meanMicros() / 1000.0, 3));
        ObjectNode jit = r.putObject("jitter_ms");
        jit.put("audio_mean", round(nA == 0 ? 0 : jitterA / nA, 3));
        jit.put("video_mean", round(nV == 0 ? 0 : jitterV / nV, 3));
        r.put("generator_late_ticks", lateTicks);
        if (serverStart != null && serverEnd != null) {
            ObjectNode sp = r.putObject("server_process");
            double cpu = serverEnd.cpuSeconds() - serverStart.cpuSeconds();
            sp.put("pid", o.serverPid());
            sp.put("cpu_seconds", round(cpu, 2));
            sp.put("cpu_seconds_per_second", round(cpu / held, 3));
            sp.put("cpu_us_per_packet", round(echoed == 0 ? 0 : cpu * 1e6 / echoed, 2));
            sp.put("rss_kib", serverEnd.rssKib());
            sp.put("threads", serverEnd.threads());
        }
        r.put("max_loss_percent", o.maxLoss());
        r.put("pass", pass);
        r.set("per_session", per);
        return r;
    }

    private void printTable(ObjectNode r) {
        PrintStream out = System.out;
        out.println();
        out.println("| sessions | up | failed | held s | echoed pkt/s | loss % | worst session loss % | echo p50 ms | echo p99 ms | echo max ms | jitter audio ms | jitter video ms | setup p50 ms |"
                + (r.has("server_process") ? " server CPU s/s | CPU µs/pkt | RSS MiB | threads |" : ""));
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|" + (r.has("server_process") ? "---|---|---|---|" : ""));
        var d = r.path("echo_delay_ms");
        var sp = r.path("server_process");
        out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.0f | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f |%s%n",
                r.path("sessions").asInt(), r.path("sessions_up").asInt(), r.path("sessions_failed").asInt(),
                r.path("held_s").asDouble(), r.path("packets_per_second").asDouble(), r.path("loss_percent").asDouble(),
                r.path("worst_session_loss_percent").asDouble(), d.path("p50").asDouble(), d.path("p99").asDouble(),
                d.path("max").asDouble(), r.path("jitter_ms").path("audio_mean").asDouble(),
                r.path("jitter_ms").path("video_mean").asDouble(), r.path("setup_ms_p50").asDouble(),
                r.has("server_process") ? String.format(Locale.ROOT, " %.3f | %.2f | %d | %d |",
                        sp.path("cpu_seconds_per_second").asDouble(), sp.path("cpu_us_per_packet").asDouble(),
                        sp.path("rss_kib").asLong() / 1024, sp.path("threads").asInt()) : "");
        if (options.perSession() || options.sessions() <= 10) {
            out.println();
            out.println("| session | state | setup ms | audio sent | audio echoed | audio loss % | video sent | video echoed | video loss % | echo p99 ms (a/v) | reason |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (var s : r.path("per_session")) {
                var a = s.path("audio");
                var v = s.path("video");
                out.printf(Locale.ROOT, "| %d | %s | %.0f | %d | %d | %.2f | %d | %d | %.2f | %.2f / %.2f | %s |%n",
                        s.path("index").asInt(), s.path("state").asText(), s.path("setup_ms").asDouble(),
                        a.path("sent").asLong(), a.path("echoed").asLong(), a.path("loss_percent").asDouble(),
                        v.path("sent").asLong(), v.path("echoed").asLong(), v.path("loss_percent").asDouble(),
                        a.path("echo_p99_ms").asDouble(), v.path("echo_p99_ms").asDouble(), s.path("reason").asText(""));
            }
        }
        out.println();
        out.println(r.path("pass").asBoolean() ? "PASS" : "FAIL");
    }

    private static double round(double v, int digits) {
        double m = Math.pow(10, digits);
        return Math.round(v * m) / m;
    }
}
