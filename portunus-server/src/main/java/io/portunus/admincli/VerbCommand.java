package io.portunus.admincli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.admincli.Verb.Param;
import io.portunus.admincli.Verb.Scope;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A verb as a picocli subcommand built from its {@link Verb} entry: SESSION and HANDLE ids
 * first, then the required members in order, then the optional ones as options.
 */
final class VerbCommand implements Callable<Integer> {
    private final Verb verb;
    private final AdminCli cli;
    private CommandSpec spec;

    private VerbCommand(Verb verb, AdminCli cli) {
        this.verb = verb;
        this.cli = cli;
    }

    static CommandSpec spec(Verb verb, AdminCli cli) {
        VerbCommand command = new VerbCommand(verb, cli);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        command.spec = spec;
        spec.name(verb.name());
        spec.aliases(verb.name().replace('_', '-'));
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description(verb.description());
        int index = 0;
        if (verb.scope() != Scope.GLOBAL) {
            spec.addPositional(positional(index++, "SESSION", "session id"));
        }
        if (verb.scope() == Scope.HANDLE) {
            spec.addPositional(positional(index++, "HANDLE", "handle id"));
        }
        for (Param p : verb.params()) {
            if (p.required()) {
                spec.addPositional(positional(index++, p.member().toUpperCase(Locale.ROOT), p.description()));
            } else if (p.kind() == Verb.Kind.BOOL) {
                spec.addOption(OptionSpec.builder(p.option()).arity("0").type(boolean.class).description(p.description()).build());
            } else if (p.kind() == Verb.Kind.STRINGS) {
                spec.addOption(OptionSpec.builder(p.option()).arity("1").type(List.class).auxiliaryTypes(String.class)
                        .paramLabel("NAME").description(p.description()).build());
            } else {
                spec.addOption(OptionSpec.builder(p.option()).arity("1").type(String.class)
                        .paramLabel(p.member().toUpperCase(Locale.ROOT)).description(p.description()).build());
            }
        }
        return spec;
    }

    private static PositionalParamSpec positional(int index, String label, String description) {
        return PositionalParamSpec.builder().index(String.valueOf(index)).arity("1").required(true).type(String.class)
                .paramLabel(label).description(description).build();
    }

    @Override
    public Integer call() {
        return cli.exchange(verb, request());
    }

    /** The request object for the parsed command line; a usage error (exit 2) for a bad value. */
    ObjectNode request() {
        ObjectNode request = AdminCli.JSON.createObjectNode();
        request.put("janus", verb.name());
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        int index = 0;
        if (verb.scope() != Scope.GLOBAL) {
            request.put("session_id", id(positionals.get(index++)));
        }
        if (verb.scope() == Scope.HANDLE) {
            request.put("handle_id", id(positionals.get(index++)));
        }
        for (Param p : verb.params()) {
            ArgSpec arg = p.required() ? positionals.get(index++) : spec.findOption(p.option());
            Object value = arg.getValue();
            if (value == null || (value instanceof Boolean b && !b) || (value instanceof List<?> l && l.isEmpty())) {
                continue;
            }
            put(request, p, value, arg);
        }
        return request;
    }

    private void put(ObjectNode request, Param p, Object value, ArgSpec arg) {
        String label = arg.paramLabel();
        switch (p.kind()) {
            case INT -> request.put(p.member(), integer(String.valueOf(value), label));
            case BOOL -> request.put(p.member(), (boolean) (value instanceof Boolean b ? b : bool(String.valueOf(value), label)));
            case STRING -> request.put(p.member(), String.valueOf(value));
            case JSON_OBJECT -> request.set(p.member(), object(String.valueOf(value), label));
            case STRINGS -> {
                ArrayNode array = request.putArray(p.member());
                for (Object item : (List<?>) value) {
                    array.add(String.valueOf(item));
                }
            }
        }
    }

    private long id(PositionalParamSpec arg) {
        long id = integer(arg.getValue(), arg.paramLabel());
        if (id < 1) {
            throw usage(arg.paramLabel() + " must be a positive id, not " + id);
        }
        return id;
    }

    private long integer(String text, String label) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw usage(label + " must be an integer, not '" + text + "'");
        }
    }

    private boolean bool(String text, String label) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw usage(label + " must be true or false, not '" + text + "'");
        };
    }

    private JsonNode object(String text, String label) {
        try {
            JsonNode node = AdminCli.JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw usage(label + " must be a JSON object such as '{\"request\":\"list\"}'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw usage(label + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A fresh command line for one verb alone (watch parses the verb part again each round). */
    static CommandLine standalone(Verb verb, AdminCli cli) {
        CommandLine line = new CommandLine(spec(verb, cli));
        line.setOut(cli.out()).setErr(cli.err());
        AdminCli.usageErrorsFromExecution(line);
        return line;
    }
}
