package io.portunus.nanomsg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Debian's {@code nanocat} (package nanomsg-utils), the real nanomsg peer of the tests. */
public final class Nanocat {

    private Nanocat() {
    }

    /** One {@code nanocat --pair}: sends {@code request}, prints what comes for {@code seconds}, exits. */
    public static List<JsonNode> pair(String how, String address, String request, int seconds) throws Exception {
        Process p = new ProcessBuilder("nanocat", "--pair", how, address, "--data", request,
                "--recv-timeout", String.valueOf(seconds), "--raw").redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds + 10L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nanocat did not exit");
        }
        return parse(out);
    }

    /** Every JSON value in {@code bytes}, back to back; arrays (grouped events) flattened. */
    public static List<JsonNode> parse(byte[] bytes) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            JsonNode n;
            while ((n = Json.MAPPER.readTree(parser)) != null) {
                if (n.isArray()) {
                    n.forEach(out::add);
                } else {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** A running {@code nanocat --sub}, each JSON value it prints handed to {@code sink}. */
    public static Process subscribe(String how, String address, Consumer<JsonNode> sink) throws IOException {
        Process p = new ProcessBuilder("nanocat", "--sub", how, address, "--raw").start();
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = p.getInputStream(); JsonParser parser = Json.MAPPER.createParser(in)) {
                JsonNode n;
                while ((n = Json.MAPPER.readTree(parser)) != null) {
                    if (n.isArray()) {
                        n.forEach(sink);
                    } else {
                        sink.accept(n);
                    }
                }
            } catch (IOException e) {
                // nanocat ended
            }
        });
        return p;
    }

    static String stderr(Process p) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        p.getErrorStream().transferTo(b);
        return b.toString();
    }
}
