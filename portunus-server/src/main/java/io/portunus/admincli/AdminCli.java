package io.portunus.admincli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code ./portunus admin <verb> [options]}: the Admin API from the command line, against
 * Portunus or a real Janus, over HTTP or the admin WebSocket. A client only: it shares no code
 * with the server. Exit codes: 0 success, 1 the server answered with an error (code and reason
 * on stderr), 2 usage, 3 unreachable or timed out.
 */
@Command(name = "portunus admin", mixinStandardHelpOptions = true, versionProvider = AdminCli.Version.class,
        description = "Talk to the Admin API of Portunus or Janus.",
        footer = {"", "The secret comes from --secret (asked for, not echoed), --secret-file, or the environment "
                + "variable PORTUNUS_ADMIN_SECRET; never from the command line, so the process list does not show it.",
                "", "Exit codes: 0 success, 1 error reply (code and reason on stderr), 2 usage, 3 unreachable or timed out."})
public final class AdminCli implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int OK = 0;
    static final int SERVER_ERROR = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final String DEFAULT_URL = "http://127.0.0.1:7088/admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec
    CommandSpec spec;

    @Option(names = {"-u", "--url"}, scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Admin API: http(s)://host:port/admin or ws(s)://host:port (default: $PORTUNUS_ADMIN_URL or " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--secret", interactive = true, arity = "0", scope = ScopeType.INHERIT,
            description = "Ask for the admin secret (read from the terminal without echo, or from standard input)")
    char[] promptedSecret;

    @Option(names = "--secret-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the admin secret from FILE (first line)")
    Path secretFile;

    @Option(names = {"-t", "--timeout"}, scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up after SECONDS without a reply (default ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the raw JSON reply instead of a table")
    boolean json;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    AdminCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line; the exit code is returned, never System.exit (tests call this). */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        AdminCli cli = new AdminCli(env, out, err);
        CommandLine line = cli.commandLine();
        return line.execute(args);
    }

    CommandLine commandLine() {
        CommandLine line = new CommandLine(this);
        for (Verb verb : Verbs.ALL) {
            line.addSubcommand(VerbCommand.spec(verb, this));
        }
        line.addSubcommand(new Watch(this));
        line.getSubcommands().get("watch").setStopAtPositional(true);
        // After the subcommands are added: picocli hands these settings to the existing ones only.
        line.setOut(out).setErr(err);
        usageErrorsFromExecution(line);
        return line;
    }

    /**
     * Values are checked while the verb runs (an id, a boolean, a JSON object): such a
     * ParameterException is a usage error like picocli's own, message on stderr and exit 2.
     */
    static void usageErrorsFromExecution(CommandLine line) {
        line.setExecutionExceptionHandler((e, failed, parseResult) -> {
            if (e instanceof CommandLine.ParameterException usage) {
                failed.getErr().println(usage.getMessage());
                failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
                return USAGE;
            }
            throw e;
        });
    }

    /** Without a verb: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return USAGE;
    }

    /** Sends {@code request} (a verb's, ids and members set) and prints the reply; the exit code. */
    int exchange(Verb verb, ObjectNode request) {
        Settings settings = settings();
        request.put("transaction", transaction());
        if (settings.secret() != null && !verb.name().equals("info") && !verb.name().equals("ping")) {
            request.put("admin_secret", settings.secret());
        }
        try (AdminConnection connection = AdminConnection.open(settings.url(), settings.timeout())) {
            JsonNode reply = connection.send(request);
            if (reply.path("janus").asText().equals("error")) {
                JsonNode error = reply.path("error");
                if (json) {
                    out.println(reply.toPrettyString());
                }
                err.println("error " + error.path("code").asInt() + ": " + error.path("reason").asText());
                return SERVER_ERROR;
            }
            if (json) {
                out.println(reply.toPrettyString());
            } else {
                new Render(out, connection, settings.secret()).reply(verb, request, reply);
            }
            out.flush();
            return OK;
        } catch (AdminConnection.Unreachable e) {
            err.println("unreachable: " + e.getMessage());
            return UNREACHABLE;
        }
    }

    record Settings(URI url, Duration timeout, String secret) {
    }

    private Settings cached;

    /** The options and environment resolved once (watch reuses them every round). */
    Settings settings() {
        if (cached != null) {
            return cached;
        }
        String address = url != null ? url : env.getOrDefault("PORTUNUS_ADMIN_URL", DEFAULT_URL);
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url: not a URL: " + address);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.matches("(?i)https?|wss?") || uri.getHost() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url must be http(s)://host:port/path or ws(s)://host:port, not " + address);
        }
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be between 0 and 86400 seconds");
        }
        cached = new Settings(uri, Duration.ofMillis((long) Math.ceil(timeoutSeconds * 1000)), secret());
        return cached;
    }

    private String secret() {
        if (promptedSecret != null) {
            return new String(promptedSecret);
        }
        if (secretFile != null) {
            try {
                String text = Files.readString(secretFile, StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                return (newline < 0 ? text : text.substring(0, newline)).strip();
            } catch (IOException e) {
                // The file's content is never shown, only that it could not be read.
                throw new CommandLine.ParameterException(spec.commandLine(), "--secret-file: cannot read " + secretFile);
            }
        }
        String fromEnv = env.get("PORTUNUS_ADMIN_SECRET");
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }

    static String transaction() {
        return Long.toString(RANDOM.nextLong() >>> 1, 36);
    }

    static String seconds(Duration d) {
        return (d.toMillis() / 1000.0) + " s";
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            // The jar's build stamp (a resource, not server code).
            Properties build = new Properties();
            try (var in = AdminCli.class.getResourceAsStream("/io/portunus/version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] {"portunus admin " + build.getProperty("version", "")};
        }
    }
}
