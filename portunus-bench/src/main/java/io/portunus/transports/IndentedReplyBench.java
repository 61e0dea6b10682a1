package io.portunus.transports;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portunus.core.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Writing a {@code handle_info} reply in Janus's {@code indented} style (Debian's sample
 * transport setting), the largest part of the Admin thread's time per reply in the issue #16
 * benchmark. The tree is a real EchoTest {@code handle_info} with media flowing, recorded from
 * Janus 1.1.2 (../shared/janus-examples/admin/078), parsed once: the same String objects each
 * time, as the server's SDPs are from one reply to the next.
 *
 * <p>Run with {@code bench/jmh/run.sh IndentedReplyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndentedReplyBench {
    private JsonNode reply;

    @Setup
    public void setUp() throws Exception {
        try (InputStream in = IndentedReplyBench.class.getResourceAsStream("handle_info-echotest.json")) {
            reply = Json.MAPPER.readTree(in);
        }
    }

    @Benchmark
    public byte[] indented() {
        return JsonFormat.INDENTED.bytes(reply);
    }

    /** As the HTTP transports write it: into a pooled direct buffer (released here, as the socket would). */
    @Benchmark
    public int indentedToBuffer() {
        ByteBuf buf = JsonFormat.INDENTED.buffer(reply, ByteBufAllocator.DEFAULT);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public byte[] compact() {
        return JsonFormat.COMPACT.bytes(reply);
    }
}
