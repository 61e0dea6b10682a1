package io.portunus.webrtc;

import io.portunus.media.dtls.DtlsCertificate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The per-packet work of an EchoTest relay on the real code: a {@link PeerConnection} made from
 * a browser's offer and connected through ICE and a real DTLS handshake on the scenario tests'
 * fake clock and in-memory network ({@link SimCall}), then fed 1,200-byte video packets the
 * browser protected. Each goes the way a socket's datagram goes: demultiplexing, SRTP
 * unprotect, {@link RtpReceiver} (stream lookup, loss, jitter, transport-cc, counters), the
 * listener's echo as the EchoTest plugin does it, {@link RtpSender} (SSRC rewrite, the
 * retransmission-buffer copy, SRTP protect) and the write to the ICE-selected pair, where the
 * simulated network only counts it. The system calls of a real socket are not included.
 *
 * <p>Run with {@code bench/jmh/run.sh RelayPathBench}. The SRTP profile is the one the server
 * offers (media.srtp_profiles), the two of the earlier figures in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RelayPathBench {
    @Param({"AES128_CM_SHA1_80", "AEAD_AES_128_GCM"})
    public String profile;

    private SimCall call;
    private int seq;
    private long relayed;

    /** The call is set up on the benchmark thread, which is then the PeerConnection's loop. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        call = new SimCall(DtlsCertificate.generate(), DtlsCertificate.generate(), profile);
        if (!call.srtpProfile().equals(profile)) {
            throw new IllegalStateException("negotiated " + call.srtpProfile() + ", not " + profile);
        }
        call.discardSends();
    }

    /**
     * One packet through the server: what arrives protected leaves protected. The browser's
     * protect that makes it (a fresh packet each time: SRTP refuses replays) is included and
     * measured alone by {@link #browserProtectOnly}, to subtract.
     */
    @Benchmark
    public void relayOnePacket() {
        seq = (seq + 1) & 0xFFFF;
        call.deliverToServer(call.browserVideoPacket(seq, 1200 - 12), 1_000);
        relayed++;
    }

    /** The browser's protect alone. */
    @Benchmark
    public byte[] browserProtectOnly() {
        seq = (seq + 1) & 0xFFFF;
        return call.browserVideoPacket(seq, 1200 - 12);
    }

    /** Every relayed packet must have left the server, or the benchmark measured a failure path. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (call.serverSends() < relayed) {
            throw new IllegalStateException("only " + call.serverSends() + " of " + relayed + " packets left the server");
        }
        call.close();
    }
}
