package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portunus.media.dtls.DtlsCertificate;
import io.portunus.media.sctp.SctpAssociation;

import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.portunus.loadtool.LoadResult.round;

/**
 * The load tool's data-channel mode (issue #17): PeerConnections to the EchoTest with only data
 * channels ({@link DataChannelPeer}), binary messages echoed as fast as the windows allow;
 * measures echoed MB/s and the server's CPU per MB. With {@code --fuzz N}, then sends N fuzzed
 * SCTP packets ({@link SctpFuzzer}) inside the first PeerConnection's DTLS session while its
 * channels keep echoing, and checks the call survived: its channels still echo, a new channel
 * opens and echoes, handle_info (Admin API) still shows DTLS connected and the SCTP association,
 * and the server still answers {@code info}.
 */
final class DataChannelLoad {
    private static final long TICK_MICROS = 2_000;

    final DataChannelOptions options;
    final DtlsCertificate certificate;
    final HttpJson http;
    final InetAddress localAddress;
    final Class<? extends DatagramChannel> datagramChannel;
    private final Class<? extends SocketChannel> socketChannel;
    private final EventLoopGroup group;
    private final Map<EventLoop, List<DataChannelPeer>> byLoop = new HashMap<>();
    private final List<DataChannelPeer> peers = new ArrayList<>();
    private final PrintStream err = System.err;
    volatile boolean stopping;

    private DataChannelLoad(DataChannelOptions options) throws Exception {
        this.options = options;
        boolean epoll = Epoll.isAvailable();
        var factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(options.loops(), new DefaultThreadFactory("load-data", true), factory);
        this.datagramChannel = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.http = new HttpJson(options.server(), socketChannel);
        this.certificate = DtlsCertificate.generate();
        if (options.localAddress() != null) {
            this.localAddress = InetAddress.getByName(options.localAddress());
        } else {
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(options.server().getHost()), 9));
                this.localAddress = s.getLocalAddress();
            }
        }
    }

    /** Runs the mode from the load tool's command line; returns the exit code. */
    static int main(String[] args) throws Exception {
        DataChannelOptions options;
        try {
            options = DataChannelOptions.parse(args);
        } catch (Options.UsageException | IllegalArgumentException e) {
            if (e.getMessage() != null) {
                System.err.println("loadtool: " + e.getMessage());
            }
            System.err.println(DataChannelOptions.USAGE);
            return e.getMessage() == null ? 0 : 2;
        }
        return new DataChannelLoad(options).run();
    }

    private int run() throws Exception {
        DataChannelOptions o = options;
        err.printf(Locale.ROOT, "loadtool: %d data PeerConnection(s) x %d channel(s), %d-byte messages, window %d, on %s%s%n",
                o.sessions(), o.channels(), o.messageSize(), o.window(), o.server(),
                o.fuzz() > 0 ? ", then " + o.fuzz() + " fuzzed SCTP packets (seed " + o.seed() + ")" : "");
        Instant started = Instant.now();
        for (int i = 0; i < o.loops(); i++) {
            EventLoop loop = group.next();
            List<DataChannelPeer> mine = byLoop.computeIfAbsent(loop, l -> new ArrayList<>());
            loop.scheduleAtFixedRate(() -> mine.forEach(DataChannelPeer::tick), TICK_MICROS, TICK_MICROS,
                    TimeUnit.MICROSECONDS);
        }
        for (int i = 0; i < o.sessions(); i++) {
            EventLoop loop = group.next();
            DataChannelPeer p = new DataChannelPeer(i, loop, this);
            peers.add(p);
            loop.schedule(() -> {
                byLoop.get(loop).add(p);
                p.start();
            }, (long) (i * 1_000_000.0 / o.ramp()), TimeUnit.MICROSECONDS);
        }
        long deadline = System.nanoTime() + (long) ((o.sessions() / o.ramp() + 20) * 1e9);
        while (System.nanoTime() < deadline && peers.stream().anyMatch(p -> p.state != DataChannelPeer.State.UP
                && p.state != DataChannelPeer.State.FAILED)) {
            Thread.sleep(100);
        }
        for (DataChannelPeer p : peers) {
            onLoop(p, () -> {
                if (p.state != DataChannelPeer.State.UP) {
                    p.fail("not up 20 s after the ramp (state " + p.state + ")");
                }
                return null;
            });
        }
        Thread.sleep(o.warmup() * 1000L);

        // The measured window.
        long[] startEchoed = echoed();
        ProcStat serverStart = o.serverPid() > 0 ? ProcStat.read(o.serverPid()) : null;
        ProcStat selfStart = ProcStat.read(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        for (int s = 1; s <= o.duration(); s++) {
            Thread.sleep(Math.max(1, (t0 + s * 1_000_000_000L - System.nanoTime()) / 1_000_000));
            long[] now = echoed();
            err.printf(Locale.ROOT, "[%3ds] up %d/%d | echoed %.1f MB/s so far%n", s, countUp(), peers.size(),
                    (now[0] - startEchoed[0]) / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        double held = (System.nanoTime() - t0) / 1e9;
        long[] endEchoed = echoed();
        ProcStat serverEnd = o.serverPid() > 0 ? ProcStat.read(o.serverPid()) : null;
        ProcStat selfEnd = ProcStat.read(ProcessHandle.current().pid());

        ObjectNode result = result(started, held, endEchoed[0] - startEchoed[0], endEchoed[1] - startEchoed[1],
                serverStart, serverEnd, selfStart, selfEnd);
        boolean pass = result.path("pass").asBoolean();
        if (o.fuzz() > 0) {
            ObjectNode f = fuzz(peers.get(0));
            result.set("fuzz", f);
            pass &= f.path("pass").asBoolean();
        }
        result.put("pass", pass);

        stopping = true;
        Closing.closeAll(peers, x -> x.loop, DataChannelPeer::close, err);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (o.json()) {
            System.out.println(HttpJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            System.out.println(HttpJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            System.out.println(pass ? "PASS" : "FAIL");
        }
        return pass ? 0 : 1;
    }

    /** Echoed bytes and messages over all peers, read on their loops. */
    private long[] echoed() {
        long bytes = 0;
        long messages = 0;
        for (DataChannelPeer p : peers) {
            long[] v = onLoop(p, () -> new long[] {p.bytesEchoed, p.messagesEchoed});
            bytes += v[0];
            messages += v[1];
        }
        return new long[] {bytes, messages};
    }

    private int countUp() {
        return (int) peers.stream().filter(p -> p.state == DataChannelPeer.State.UP).count();
    }

    // ---- fuzzing -------------------------------------------------------------------------------

    private ObjectNode fuzz(DataChannelPeer peer) throws Exception {
        DataChannelOptions o = options;
        ObjectNode f = HttpJson.JSON.createObjectNode();
        f.put("packets", o.fuzz());
        f.put("seed", o.seed());
        SctpFuzzer fuzzer = new SctpFuzzer(o.seed());
        onLoop(peer, () -> peer.tap = fuzzer);
        Thread.sleep(500);   // packets both ways to learn from
        if (!onLoop(peer, fuzzer::ready)) {
            f.put("pass", false);
            f.put("reason", "no SCTP traffic to learn from");
            return f;
        }
        long echoedBefore = onLoop(peer, () -> peer.bytesEchoed);
        SctpAssociation.Stats statsBefore = onLoop(peer, () -> peer.association().stats());
        long t0 = System.nanoTime();
        long[] sent = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        long perTick = Math.max(1, o.fuzzRate() / 200);   // every 5 ms
        var task = peer.loop.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick && sent[0] < o.fuzz(); i++) {
                peer.sendRaw(fuzzer.next(sent[0]++));
            }
            peer.flushSocket();
            if (sent[0] >= o.fuzz()) {
                done.complete(null);
            }
        }, 5, 5, TimeUnit.MILLISECONDS);
        try {
            done.get(o.fuzz() / o.fuzzRate() * 3L + 30, TimeUnit.SECONDS);
        } finally {
            task.cancel(false);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long echoedDuring = onLoop(peer, () -> peer.bytesEchoed) - echoedBefore;
        f.put("sent", sent[0]);
        f.put("seconds", round(seconds, 2));
        ObjectNode kinds = f.putObject("kinds");
        for (int i = 0; i < SctpFuzzer.KINDS.length; i++) {
            kinds.put(SctpFuzzer.KINDS[i], fuzzer.made[i]);
        }
        f.put("left_out_and_made_again", fuzzer.rejected);
        f.put("echoed_bytes_during", echoedDuring);

        // After: the channels still echo, and a channel opened now opens and echoes.
        Thread.sleep(500);
        long echoedAfter0 = onLoop(peer, () -> peer.bytesEchoed);
        boolean newChannel = onLoop(peer, () -> peer.openChannel() != null);
        Thread.sleep(2000);
        long echoedAfter = onLoop(peer, () -> peer.bytesEchoed) - echoedAfter0;
        SctpAssociation.Stats statsAfter = onLoop(peer, () -> peer.association().stats());
        int openChannels = onLoop(peer, peer::openChannels);
        int newChannelEchoes = onLoop(peer, () -> peer.echoesOn(o.channels()));
        f.put("new_channel_echoes", newChannelEchoes);
        f.put("echoed_bytes_after", echoedAfter);
        f.put("channels_open_after", openChannels);
        f.put("bad_echoes", peer.badEchoes);
        f.put("state_after", peer.state.name().toLowerCase(Locale.ROOT));
        f.put("our_retransmissions", statsAfter.retransmissions() - statsBefore.retransmissions());
        f.put("our_association_after", statsAfter.toString());
        boolean pass = peer.state == DataChannelPeer.State.UP && echoedDuring > 0 && echoedAfter > 0
                && newChannel && openChannels == o.channels() + 1 && newChannelEchoes > 0 && peer.badEchoes == 0;
        String why = peer.state != DataChannelPeer.State.UP ? "the PeerConnection failed: " + peer.reason
                : echoedDuring == 0 ? "nothing echoed during the fuzzing"
                : echoedAfter == 0 ? "nothing echoed after the fuzzing"
                : !newChannel || openChannels != o.channels() + 1 ? "a new channel did not open (" + openChannels + " open)"
                : newChannelEchoes == 0 ? "nothing echoed on the channel opened after the fuzzing"
                : peer.badEchoes != 0 ? peer.badEchoes + " echoes out of order or changed" : null;

        // The server's view: handle_info, and info.
        if (o.admin() != null) {
            JsonNode info = handleInfo(peer);
            JsonNode dtls = info.path("info").path("webrtc").path("dtls");
            f.put("handle_info_dtls_state", dtls.path("dtls-state").asText());
            f.put("handle_info_sctp_association", dtls.path("sctp-association").asBoolean());
            boolean ok = "connected".equals(dtls.path("dtls-state").asText()) && dtls.path("sctp-association").asBoolean();
            if (!ok && why == null) {
                why = "handle_info: " + (info.has("info") ? dtls : info);
            }
            pass &= ok;
        }
        JsonNode serverInfo = request(() -> http.get(peer.loop, "/info", 10));
        boolean serves = "server_info".equals(serverInfo.path("janus").asText());
        f.put("server_info_after", serves);
        if (!serves && why == null) {
            why = "info: " + serverInfo;
        }
        pass &= serves;
        f.put("pass", pass);
        if (why != null) {
            f.put("reason", why);
        }
        err.println("loadtool: fuzz: " + f);
        return f;
    }

    private JsonNode handleInfo(DataChannelPeer peer) throws Exception {
        HttpJson admin = new HttpJson(options.admin(), socketChannel);
        ObjectNode req = HttpJson.JSON.createObjectNode();
        req.put("janus", "handle_info");
        req.put("transaction", RandomIds.token(12));
        req.put("admin_secret", options.adminSecret());
        return request(() -> admin.post(peer.loop, "/" + peer.janusSession() + "/" + peer.janusHandle(), req, 10));
    }

    private static JsonNode request(Callable<CompletableFuture<JsonNode>> r) {
        try {
            return r.call().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            ObjectNode o = HttpJson.JSON.createObjectNode();
            o.put("error", LoadSession.rootMessage(e));
            return o;
        }
    }

    // ---- the result ----------------------------------------------------------------------------

    private ObjectNode result(Instant started, double held, long bytes, long messages, ProcStat serverStart,
                              ProcStat serverEnd, ProcStat selfStart, ProcStat selfEnd) {
        DataChannelOptions o = options;
        ObjectNode r = HttpJson.JSON.createObjectNode();
        r.put("tool", "portunus-loadtool");
        r.put("mode", "datachannel");
        r.put("started_at", started.toString());
        r.put("server", o.server().toString());
        r.put("sessions", o.sessions());
        r.put("channels_per_session", o.channels());
        r.put("message_size", o.messageSize());
        r.put("window_bytes", o.window());
        r.put("held_s", round(held, 3));
        int up = countUp();
        r.put("sessions_up", up);
        r.put("sessions_failed", peers.size() - up);
        r.put("bytes_echoed", bytes);
        r.put("messages_echoed", messages);
        double mb = bytes / 1e6;
        r.put("mb_per_second", round(mb / held, 2));
        r.put("messages_per_second", round(messages / held, 1));
        long bad = 0;
        long retransmissions = 0;
        long t3 = 0;
        ArrayNode per = r.putArray("per_session");
        for (DataChannelPeer p : peers) {
            ObjectNode j = per.addObject();
            j.put("index", p.index);
            j.put("state", p.state.name().toLowerCase(Locale.ROOT));
            if (p.reason != null) {
                j.put("reason", p.reason);
            }
            j.put("bytes_echoed", p.bytesEchoed);
            j.put("bad_echoes", p.badEchoes);
            SctpAssociation.Stats st = p.association() == null ? null : onLoop(p, () -> p.association().stats());
            if (st != null) {
                j.put("our_retransmissions", st.retransmissions());
                j.put("our_t3_expiries", st.t3Expiries());
                j.put("our_rtt_ms", st.rttMillis());
                retransmissions += st.retransmissions();
                t3 += st.t3Expiries();
            }
            bad += p.badEchoes;
        }
        r.put("bad_echoes", bad);
        r.put("our_retransmissions", retransmissions);
        r.put("our_t3_expiries", t3);
        LoadResult.putServerProcess(r, o.serverPid(), serverStart, serverEnd, held,
                "cpu_ms_per_mb", cpu -> round(mb == 0 ? 0 : cpu * 1e3 / mb, 3));
        if (selfStart != null && selfEnd != null) {
            r.putObject("load_tool_process").put("cpu_seconds_per_second",
                    round((selfEnd.cpuSeconds() - selfStart.cpuSeconds()) / held, 3));
        }
        r.put("pass", up == peers.size() && bytes > 0 && bad == 0);
        return r;
    }

    private static <T> T onLoop(DataChannelPeer p, Callable<T> c) {
        try {
            return p.loop.submit(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("event loop did not answer", e);
        }
    }
}
