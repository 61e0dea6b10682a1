package io.portunus.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Janus's command-line options, in their short ({@code -s 60}, {@code -s60}) and long
 * ({@code --session-timeout=60}, {@code --session-timeout 60}) forms. Values override the
 * configuration files, as in Janus. Options that only make sense for Janus's C build
 * (plugin folders, daemonising) are accepted and reported as ignored.
 */
public final class CommandLine {

    /** One option: short letter (or 0), long name, whether it takes a value, help text. */
    record Option(char shortName, String longName, boolean takesValue, String help) {
    }

    static final List<Option> OPTIONS = List.of(
            new Option('h', "help", false, "Show help options"),
            new Option('V', "version", false, "Print the version and exit"),
            new Option('b', "daemon", false, "Launch in background as a daemon (not supported: use your service manager)"),
            new Option('p', "pid-file", true, "Write the process id to this file"),
            new Option('N', "disable-stdout", false, "Disable stdout based logging"),
            new Option((char) 0, "log-stdout", false, "Log to stdout (the default)"),
            new Option('L', "log-file", true, "Log to the specified file"),
            new Option('H', "cwd-path", true, "Working directory (ignored: only used by daemon mode)"),
            new Option('i', "interface", true, "Interface to use (will be the public IP)"),
            new Option('P', "plugins-folder", true, "Plugins folder (ignored: Portunus modules are built in)"),
            new Option('C', "config", true, "Configuration file (janus.jcfg) or configuration folder to use"),
            new Option('F', "configs-folder", true, "Configuration files folder"),
            new Option('c', "cert-pem", true, "DTLS certificate"),
            new Option('k', "cert-key", true, "DTLS certificate key"),
            new Option('K', "cert-pwd", true, "DTLS certificate key passphrase"),
            new Option('S', "stun-server", true, "STUN server(:port) to use"),
            new Option('1', "nat-1-1", true, "Comma-separated list of public IPs for host candidates"),
            new Option('2', "keep-private-host", false, "With nat-1-1, keep the private host candidate too"),
            new Option('E', "ice-enforce-list", true, "Comma-separated list of the only interfaces to use for ICE"),
            new Option('X', "ice-ignore-list", true, "Comma-separated list of interfaces or IPs to ignore for ICE"),
            new Option('6', "ipv6-candidates", false, "Enable IPv6 candidates"),
            new Option('O', "ipv6-link-local", false, "Gather IPv6 link-local candidates too"),
            new Option('l', "libnice-debug", false, "Enable ICE debugging"),
            new Option('f', "full-trickle", false, "Do full-trickle instead of half-trickle"),
            new Option('I', "ice-lite", false, "Enable ICE Lite mode"),
            new Option('T', "ice-tcp", false, "Enable ICE-TCP"),
            new Option('Q', "min-nack-queue", true, "Minimum size of the NACK queue (ms)"),
            new Option('t', "no-media-timer", true, "Seconds without media before notifying"),
            new Option('W', "slowlink-threshold", true, "Lost packets per second that trigger 'slowlink'"),
            new Option('r', "rtp-port-range", true, "Port range to use for RTP/RTCP (min-max)"),
            new Option('B', "twcc-period", true, "How often (ms) to send TWCC feedback"),
            new Option('n', "server-name", true, "Public name of this instance"),
            new Option('s', "session-timeout", true, "Session timeout value, in seconds (default=60)"),
            new Option('m', "reclaim-session-timeout", true, "Reclaim session timeout value, in seconds (default=0)"),
            new Option('d', "debug-level", true, "Debug/logging level (0=disable, 7=maximum; default=4)"),
            new Option('D', "debug-timestamps", false, "Enable debug/logging timestamps"),
            new Option('o', "disable-colors", false, "Disable color in the logging"),
            new Option('M', "debug-locks", false, "Enable debugging of locks (accepted, no effect)"),
            new Option('a', "apisecret", true, "API secret all requests need to pass"),
            new Option('A', "token-auth", false, "Enable token-based authentication for all requests"),
            new Option((char) 0, "token-auth-secret", true, "Secret to verify HMAC-signed tokens with (with -A)"),
            new Option('e', "event-handlers", false, "Enable event handlers"),
            new Option('w', "no-webrtc-encryption", false, "Disable WebRTC encryption (debugging only)"));

    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandLine() {
    }

    /** Parses argv; throws {@link IllegalArgumentException} with a message fit for the user. */
    public static CommandLine parse(String... args) {
        CommandLine cl = new CommandLine();
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            Option option;
            String value = null;
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                option = byLong(name);
            } else if (arg.startsWith("-") && arg.length() >= 2) {
                option = byShort(arg.charAt(1));
                if (arg.length() > 2) {
                    if (option != null && option.takesValue()) {
                        value = arg.substring(2);
                    } else {
                        throw new IllegalArgumentException("Unknown option " + arg);
                    }
                }
            } else {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "' (see --help)");
            }
            if (option == null) {
                throw new IllegalArgumentException("Unknown option " + arg + " (see --help)");
            }
            if (option.takesValue()) {
                if (value == null) {
                    if (i + 1 >= rest.size()) {
                        throw new IllegalArgumentException("Missing value for " + arg);
                    }
                    value = rest.get(++i);
                }
            } else if (value != null) {
                throw new IllegalArgumentException("Option --" + option.longName() + " takes no value");
            } else {
                value = "true";
            }
            cl.values.put(option.longName(), value);
        }
        return cl;
    }

    private static Option byLong(String name) {
        return OPTIONS.stream().filter(o -> o.longName().equals(name)).findFirst().orElse(null);
    }

    private static Option byShort(char c) {
        return OPTIONS.stream().filter(o -> o.shortName() == c).findFirst().orElse(null);
    }

    public boolean has(String longName) {
        return values.containsKey(longName);
    }

    public String get(String longName) {
        return values.get(longName);
    }

    /** An integer option, or null when absent; a bad number is a usage error. */
    public Integer integer(String longName) {
        String v = values.get(longName);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option --" + longName + " needs a number, got '" + v + "'");
        }
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("Usage:\n  portunus [OPTION...]\n\nOptions:\n");
        for (Option o : OPTIONS) {
            String flags = (o.shortName() != 0 ? "-" + o.shortName() + ", " : "    ") + "--" + o.longName()
                    + (o.takesValue() ? "=VALUE" : "");
            sb.append(String.format("  %-36s %s%n", flags, o.help()));
        }
        return sb.toString();
    }
}
