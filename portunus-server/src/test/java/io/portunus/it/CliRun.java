package io.portunus.it;

import io.portunus.admincli.AdminCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code portunus admin} in this JVM (AdminCli.run) and keeps what it printed; one result per run. */
final class CliRun {
    /** Everything every run printed, for the check that the secret never shows. */
    static final List<String> PRINTED = new CopyOnWriteArrayList<>();

    record Result(int code, String out, String err) {
        Result expect(int expected) {
            assertThat(code).as("exit code; out: %s; err: %s", out, err).isEqualTo(expected);
            return this;
        }
    }

    private CliRun() {
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AdminCli.run(args, new HashMap<>(env), new PrintWriter(out, true), new PrintWriter(err, true));
        PRINTED.add(out.toString());
        PRINTED.add(err.toString());
        return new Result(code, out.toString(), err.toString());
    }
}
