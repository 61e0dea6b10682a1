package io.portunus.admincli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code watch [--interval S] [--count N] [VERB ARGS...]}: runs a verb again and again (default list_sessions). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Run a verb every few seconds and show its latest output (default: list_sessions).")
final class Watch implements Callable<Integer> {
    private static final String CLEAR = "\033[H\033[2J";
    private final AdminCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--interval"}, paramLabel = "SECONDS", defaultValue = "2", description = "Seconds between rounds (default ${DEFAULT-VALUE})")
    double interval;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "0", description = "Stop after N rounds (default: until interrupted)")
    int count;

    @Parameters(arity = "0..*", paramLabel = "VERB ARGS", description = "The verb to repeat and its arguments")
    List<String> verbArgs = new ArrayList<>();

    Watch(AdminCli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!(interval >= 0.1) || count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be at least 0.1 s and --count not negative");
        }
        List<String> args = verbArgs.isEmpty() ? List.of("list_sessions") : verbArgs;
        Verb verb = Verbs.ALL.stream().filter(v -> v.name().equals(args.get(0)) || v.name().replace('_', '-').equals(args.get(0)))
                .findFirst().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "unknown verb: " + args.get(0)));
        boolean terminal = System.console() != null;
        int code = AdminCli.OK;
        for (int round = 1; count == 0 || round <= count; round++) {
            if (terminal) {
                cli.out().print(CLEAR);
            }
            cli.out().println("every " + interval + " s: " + String.join(" ", args) + "    " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
            code = VerbCommand.standalone(verb, cli).execute(args.subList(1, args.size()).toArray(String[]::new));
            cli.out().flush();
            if (code == AdminCli.USAGE) {
                return code;
            }
            if (count == 0 || round < count) {
                Thread.sleep((long) (interval * 1000));
            }
        }
        return code;
    }
}
