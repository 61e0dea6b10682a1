package io.portunus.loadtool;

import java.net.URI;
import java.util.Locale;

/** The load tool's command line. */
record Options(URI server, int sessions, double ramp, int duration, boolean audio, boolean video, long videoBitrate,
               boolean json, String localAddress, long serverPid, int loops, double maxLoss, int setupTimeout,
               boolean perSession, int warmup, String afterHold, int rooms, int subscribers, long firstRoom, boolean simulcast) {

    /** VideoRoom mode: a publisher and its subscribers per room instead of EchoTest sessions. */
    boolean videoRoom() {
        return rooms > 0;
    }

    static final String USAGE = """
            Usage: loadtool [options]
              --server URL         Janus API over HTTP (default http://127.0.0.1:8088/janus)
              --sessions N         concurrent EchoTest sessions (default 10)
              --ramp R             sessions started per second (default 10)
              --duration S         seconds to hold every session after all are up (default 30)
              --audio / --no-audio     send the Opus-like audio stream (default on)
              --video / --no-video     send the VP8-like video stream (default on)
              --video-bitrate BPS  video bitrate, e.g. 1000000, 500k, 2m (default 1m)
              --json               print the result as JSON on stdout (progress stays on stderr)
              --local-address IP   the address of our host candidates (default: the route to the server)
              --server-pid PID     also measure that process: CPU, RSS, threads (from /proc)
              --loops N            Netty event loops for all sessions (default 2, at most 2 per core)
              --max-loss PCT       exit 1 unless every session is up, echoes and loses less (default 100)
              --setup-timeout S    give up on sessions not up this long after the ramp (default 30)
              --per-session        list every session in the summary table
              --warmup S           seconds between the last session up and the measurement (default 2)
              --after-hold CMD     after the measured window, with every session still sending, run
                                   CMD (sh -c) and put its output in the result (e.g. a wrk run of
                                   admin pings under this load); it does not count in the window
            VideoRoom mode (instead of --sessions EchoTest sessions):
              --videoroom          one room (same as --rooms 1)
              --rooms R            R rooms, one publisher (audio + video) in each
              --subscribers S      subscribers per room (default 10); loss, delay and jitter are
                                   measured per subscriber, from its publisher's send times
              --room ID            the first room's id (default 1234, Janus's sample room); rooms
                                   ID+1... are created with the sample room's settings if missing
              --simulcast          publishers send three VP8 layers (SSRC group SIM: the video
                                   bitrate, a quarter, a sixteenth); subscribers measure the top one
            Audio: 50 packets/s of ~100 bytes, PT 111. Video: 30 frames/s cut in packets of at most
            1,200 bytes, PT 96. Each packet carries a counter and its send time, so loss and echo delay
            are exact (in VideoRoom mode, from the publisher to each subscriber).""";

    static Options parse(String[] args) {
        URI server = URI.create("http://127.0.0.1:8088/janus");
        int sessions = 10;
        double ramp = 10;
        int duration = 30;
        boolean audio = true;
        boolean video = true;
        long bitrate = 1_000_000;
        boolean json = false;
        String local = null;
        long pid = 0;
        int loops = Math.min(2, Math.max(1, Runtime.getRuntime().availableProcessors()));
        double maxLoss = 100;
        int setupTimeout = 30;
        boolean perSession = false;
        int warmup = 2;
        String afterHold = null;
        int rooms = 0;
        int subscribers = 10;
        long firstRoom = 1234;
        boolean simulcast = false;
        boolean onlyAudio = false;
        boolean onlyVideo = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--server" -> server = URI.create(v != null ? v : value(args, ++i, a));
                case "--sessions", "-n" -> sessions = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--ramp" -> ramp = Double.parseDouble(v != null ? v : value(args, ++i, a));
                case "--duration", "-d" -> duration = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--audio" -> onlyAudio = true;
                case "--video" -> onlyVideo = true;
                case "--no-audio" -> audio = false;
                case "--no-video" -> video = false;
                case "--video-bitrate" -> bitrate = bits(v != null ? v : value(args, ++i, a));
                case "--json" -> json = true;
                case "--local-address" -> local = v != null ? v : value(args, ++i, a);
                case "--server-pid" -> pid = Long.parseLong(v != null ? v : value(args, ++i, a));
                case "--loops" -> loops = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--max-loss" -> maxLoss = Double.parseDouble(v != null ? v : value(args, ++i, a));
                case "--setup-timeout" -> setupTimeout = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--per-session" -> perSession = true;
                case "--warmup" -> warmup = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--after-hold" -> afterHold = v != null ? v : value(args, ++i, a);
                case "--videoroom" -> rooms = Math.max(rooms, 1);
                case "--rooms" -> rooms = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--subscribers" -> subscribers = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--simulcast" -> simulcast = true;
                case "--room" -> firstRoom = Long.parseLong(v != null ? v : value(args, ++i, a));
                case "--help", "-h" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        // --audio or --video alone means only that kind; both (or neither) means both.
        if (onlyAudio && !onlyVideo) {
            video = false;
        } else if (onlyVideo && !onlyAudio) {
            audio = false;
        }
        if (!audio && !video) {
            throw new UsageException("nothing to send: both audio and video are off");
        }
        if (rooms < 0 || subscribers < 1 || firstRoom < 1) {
            throw new UsageException("rooms must not be negative, subscribers and the room id must be positive");
        }
        if (sessions < 1 || ramp <= 0 || duration < 1 || loops < 1 || bitrate < 8_000) {
            throw new UsageException("sessions, ramp, duration and loops must be positive, video bitrate >= 8k");
        }
        return new Options(server, sessions, ramp, duration, audio, video, bitrate, json, local, pid, loops, maxLoss,
                setupTimeout, perSession, Math.max(0, warmup), afterHold, rooms, subscribers, firstRoom, simulcast);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new UsageException(name + " needs a value");
        }
        return args[i];
    }

    static long bits(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        return (long) (Double.parseDouble(t) * mult);
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
