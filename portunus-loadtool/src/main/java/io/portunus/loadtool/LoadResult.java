package io.portunus.loadtool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** What an EchoTest or VideoRoom run of the load tool reports: its JSON result and the summary table. */
final class LoadResult {
    private LoadResult() {
    }

    /**
     * The run's result: its settings, the VideoRoom publishers, one entry per measured session
     * (every EchoTest session, or every subscriber) and the totals over the hold; {@code pass}
     * when every measured session was up, echoed each stream and lost less than --max-loss.
     */
    static ObjectNode of(Options o, VideoRoomMode videoRoom, List<LoadSession> sessions, Instant started, double held,
                         ProcStat serverStart, ProcStat serverEnd) {
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
        long packets = echoed;
        putServerProcess(r, o.serverPid(), serverStart, serverEnd, held,
                "cpu_us_per_packet", cpu -> round(packets == 0 ? 0 : cpu * 1e6 / packets, 2));
        r.put("max_loss_percent", o.maxLoss());
        r.put("pass", pass);
        r.set("per_session", per);
        return r;
    }

    /** The result as Markdown tables on stdout, a row per session too when there are few. */
    static void printTable(ObjectNode r, Options options) {
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

    /**
     * The server's process over the hold ({@code server_process}): its CPU in all, per second and
     * per the mode's unit ({@code perUnitKey}, from the CPU seconds), its threads' voluntary
     * context switches per second (how often a thread slept and was woken), the CPU of each kind
     * of thread (the JIT's compilers apart from the I/O threads), RSS and threads at the end;
     * nothing when the tool was not given its pid. (No user/kernel split: /proc's, sampled at
     * the 100 Hz tick, put all or a tenth of Portunus's CPU in the kernel from one run to the next
     * on this virtual machine.)
     */
    static void putServerProcess(ObjectNode r, long pid, ProcStat start, ProcStat end, double held,
                                 String perUnitKey, DoubleUnaryOperator perUnit) {
        if (start == null || end == null) {
            return;
        }
        ObjectNode sp = r.putObject("server_process");
        double cpu = end.cpuSeconds() - start.cpuSeconds();
        sp.put("pid", pid);
        sp.put("cpu_seconds", round(cpu, 2));
        sp.put("cpu_seconds_per_second", round(cpu / held, 3));
        sp.put(perUnitKey, perUnit.applyAsDouble(cpu));
        sp.put("voluntary_switches_per_second", round((end.voluntarySwitches() - start.voluntarySwitches()) / held, 0));
        ObjectNode byKind = sp.putObject("cpu_seconds_per_second_by_thread");
        end.cpuByThreadKind(start, held).forEach((kind, perSecond) -> byKind.put(kind, round(perSecond, 4)));
        sp.put("rss_kib", end.rssKib());
        sp.put("threads", end.threads());
    }

    static double round(double v, int digits) {
        double m = Math.pow(10, digits);
        return Math.round(v * m) / m;
    }
}
