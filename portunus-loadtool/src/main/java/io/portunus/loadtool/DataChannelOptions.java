package io.portunus.loadtool;

import java.net.URI;

/** The load tool's command line in data-channel mode ({@code --datachannel}). */
record DataChannelOptions(URI server, String localAddress, int sessions, int channels, int messageSize, long window,
                          int duration, int warmup, double ramp, long serverPid, boolean json, int loops, int fuzz,
                          int fuzzRate, long seed, URI admin, String adminSecret) {

    static final String USAGE = """
            Usage: loadtool --datachannel [options]
              --server URL         Janus API over HTTP (default http://127.0.0.1:8088/janus)
              --sessions N         EchoTest PeerConnections with only a data channel m-line (default 1)
              --channels N         reliable ordered data channels on each (default 1)
              --message-size B     binary message size in bytes (default 16384)
              --window B           bytes sent and not yet echoed, per PeerConnection (default 1048576)
              --duration S         measured seconds (default 10)
              --warmup S           seconds of echo before the measurement (default 2)
              --ramp R             PeerConnections started per second (default 10)
              --server-pid PID     measure that process's CPU (from /proc): CPU per MB echoed
              --local-address IP   the address of our host candidates (default: the route to the server)
              --loops N            Netty event loops (default 1)
              --json               print the result as JSON on stdout
            Fuzzing (after the measurement, on the first PeerConnection, its channels still echoing):
              --fuzz N             send N fuzzed SCTP packets inside its DTLS session, then check the
                                   channels still echo, a new channel opens and echoes, and (with
                                   --admin) handle_info still shows DTLS connected and the association
              --fuzz-rate R        fuzzed packets per second (default 4000)
              --seed S             the fuzzer's random seed (default: random, printed)
              --admin URL          the Admin API (e.g. http://127.0.0.1:7088/admin)
              --admin-secret S     its admin_secret (default janusoverlord)
            Throughput counts echoed message bytes (MB = 10^6 bytes): each one went to the server and
            back, so the server received and sent it once each.""";

    static DataChannelOptions parse(String[] args) {
        URI server = URI.create("http://127.0.0.1:8088/janus");
        String local = null;
        int sessions = 1;
        int channels = 1;
        int size = 16384;
        long window = 1 << 20;
        int duration = 10;
        int warmup = 2;
        double ramp = 10;
        long pid = 0;
        boolean json = false;
        int loops = 1;
        int fuzz = 0;
        int fuzzRate = 4000;
        long seed = LoadSession.RANDOM.nextLong();
        URI admin = null;
        String secret = "janusoverlord";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--datachannel" -> { }
                case "--server" -> server = URI.create(v != null ? v : value(args, ++i, a));
                case "--local-address" -> local = v != null ? v : value(args, ++i, a);
                case "--sessions", "-n" -> sessions = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--channels" -> channels = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--message-size" -> size = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--window" -> window = Long.parseLong(v != null ? v : value(args, ++i, a));
                case "--duration", "-d" -> duration = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--warmup" -> warmup = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--ramp" -> ramp = Double.parseDouble(v != null ? v : value(args, ++i, a));
                case "--server-pid" -> pid = Long.parseLong(v != null ? v : value(args, ++i, a));
                case "--json" -> json = true;
                case "--loops" -> loops = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--fuzz" -> fuzz = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--fuzz-rate" -> fuzzRate = Integer.parseInt(v != null ? v : value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(v != null ? v : value(args, ++i, a));
                case "--admin" -> admin = URI.create(v != null ? v : value(args, ++i, a));
                case "--admin-secret" -> secret = v != null ? v : value(args, ++i, a);
                case "--help", "-h" -> throw new Options.UsageException(null);
                default -> throw new Options.UsageException("unknown option " + a);
            }
        }
        if (sessions < 1 || channels < 1 || channels > 1000 || size < 8 || size > 262_144 || window < size
                || duration < 1 || loops < 1 || fuzz < 0 || fuzzRate < 1 || ramp <= 0) {
            throw new Options.UsageException("sessions, channels (<= 1000), duration, loops must be positive, "
                    + "message size 8..262144, window at least one message");
        }
        return new DataChannelOptions(server, local, sessions, channels, size, window, duration, Math.max(0, warmup),
                ramp, pid, json, loops, fuzz, fuzzRate, seed, admin, secret);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new Options.UsageException(name + " needs a value");
        }
        return args[i];
    }
}
