package io.portunus.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portunus admin} as its own process (as ./portunus runs it): the secret, from the
 * environment, a file or standard input, never shows in any process's command line
 * (/proc/PID/cmdline, what ps shows) nor in what the CLI prints.
 */
class AdminCliProcessTest {
    static final String SECRET = "proc-overlord-91c2";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("admin_secret = \"" + SECRET + "\"");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ProcessBuilder cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.portunus.admincli.AdminCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PORTUNUS_ADMIN_SECRET");
        return builder;
    }

    /** Every process's command line now, as ps would show it. */
    static List<String> allCommandLines() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    out.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return out;
    }

    record Finished(int code, String out, String err, boolean seenRunning) {
    }

    /** Runs the CLI to its end, looking at every command line on the machine while it runs. */
    static Finished runWatching(ProcessBuilder builder, String stdin) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (stdin != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        boolean seenRunning = false;
        while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
            List<String> lines = allCommandLines();
            assertThat(lines).noneMatch(l -> l.contains(SECRET));
            seenRunning |= lines.stream().anyMatch(l -> l.contains("io.portunus.admincli.AdminCli"));
        }
        Finished f = new Finished(process.exitValue(), Files.readString(out), Files.readString(err), seenRunning);
        Files.delete(out);
        Files.delete(err);
        assertThat(f.out() + f.err()).doesNotContain(SECRET);
        return f;
    }

    @Test
    void secretFromTheEnvironmentNeverOnAnyCommandLine() throws Exception {
        ProcessBuilder watch = cli("--url", server.admin(), "watch", "--count", "3", "--interval", "0.5", "get_status");
        watch.environment().put("PORTUNUS_ADMIN_SECRET", SECRET);
        Finished f = runWatching(watch, null);
        assertThat(f.code()).as(f.err()).isZero();
        assertThat(f.seenRunning()).as("the CLI's own command line was looked at").isTrue();
        assertThat(f.out().lines().filter(l -> l.startsWith("log_level"))).hasSize(3);
    }

    @Test
    void secretFromAFileOrStandardInput() throws Exception {
        Path file = Files.createTempFile("secret", "");
        Files.writeString(file, SECRET + "\n");
        Finished fromFile = runWatching(cli("--url", server.adminWs(), "--secret-file", file.toString(), "list_sessions"), null);
        assertThat(fromFile.code()).as(fromFile.err()).isZero();
        Files.delete(file);
        // --secret asks for it: with no terminal, picocli reads the line from standard input.
        Finished prompted = runWatching(cli("--url", server.admin(), "--secret", "get_status"), SECRET + "\n");
        assertThat(prompted.code()).as(prompted.err()).isZero();
        assertThat(prompted.out()).contains("log_level");
        Finished wrong = runWatching(cli("--url", server.admin(), "--secret", "get_status"), "nope\n");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("error 403: Unauthorized request (wrong or missing secret/token)");
    }
}
