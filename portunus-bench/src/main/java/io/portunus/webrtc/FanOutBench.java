package io.portunus.webrtc;

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
 * The VideoRoom's fan-out on the real code: one publisher and N subscribers in a room of the
 * real VideoRoom plugin ({@link SimRoom}), every PeerConnection connected through ICE and a real
 * DTLS handshake on the scenario tests' fake clock and in-memory network, the subscribers' made
 * for the plugin's offers and completed by their browsers' answers. Each operation is one
 * 1,200-byte video packet the publisher's browser protected (header extensions transport-cc,
 * mid, video orientation), arriving at the publisher's PeerConnection: demultiplexing, SRTP
 * unprotect, {@link RtpReceiver}, the plugin's {@code incomingRtp}, which hands it to the core
 * once per subscriber leg ({@code PluginContext.forwardRtp} → {@link PeerConnection#forwardRtp}:
 * the leg's copy), {@link MediaIo#handOver} and {@link RtpSender#sendForwarded} (extension ids,
 * sequence numbers and timestamps rewritten, our SSRC, the retransmission buffer, SRTP protect)
 * and the write to the subscriber's ICE-selected pair, where the simulated network counts it
 * per subscriber. The simulated loop is one thread, so the hand-over is the same-loop case (the
 * leg served at once); the cross-loop queue of {@code MediaLoop} is not in these figures, nor a
 * real socket's system calls.
 *
 * <p>The setup checks that every subscriber's browser decrypts a forwarded packet; the teardown
 * that every subscriber was sent every packet of the run and that nothing was dropped.
 *
 * <p>Run with {@code bench/jmh/run.sh FanOutBench -prof gc}. Divide by {@code subscribers} for
 * the cost per subscriber per packet; {@link #publisherProtectOnly} is the browser's part of
 * each operation, to subtract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FanOutBench {
    private static final int PACKET_BYTES = 1200;

    @Param({"1", "3", "10", "30", "100"})
    public int subscribers;

    @Param({"AES128_CM_SHA1_80"})
    public String profile;

    private SimRoom room;
    private int seq;
    private long forwarded;

    /** The room is set up on the benchmark thread, which is then every PeerConnection's loop. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        room = new SimRoom(subscribers, profile);
        if (!room.srtpProfile().equals(profile) || room.subscriberCount() != subscribers) {
            throw new IllegalStateException("set up " + room.srtpProfile() + " with " + room.subscriberCount()
                    + " subscribers, not " + profile + " with " + subscribers);
        }
        // Before the measurement, the whole path once: every subscriber's browser decrypts a forwarded packet.
        seq = 1;
        int decrypting = room.subscribersDecryptingOneMorePacket(seq);
        if (decrypting != subscribers) {
            throw new IllegalStateException("only " + decrypting + " of " + subscribers + " subscribers decrypted a packet");
        }
        room.discardSends();
    }

    /** One publisher packet, forwarded to every subscriber. */
    @Benchmark
    public void forwardOnePacket() {
        seq = (seq + 1) & 0xFFFF;
        room.deliverFromPublisher(room.publisherVideoPacket(seq, PACKET_BYTES), 1_000);
        forwarded++;
    }

    /** The publisher's browser's protect alone (part of every operation above). */
    @Benchmark
    public byte[] publisherProtectOnly() {
        seq = (seq + 1) & 0xFFFF;
        return room.publisherVideoPacket(seq, PACKET_BYTES);
    }

    /**
     * Every subscriber must have been sent every forwarded packet, protected, with nothing
     * dropped on the way, or the benchmark measured a failure path.
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            long fewest = room.fewestSentToASubscriber();
            if (fewest < forwarded) {
                throw new IllegalStateException("a subscriber was sent only " + fewest + " of " + forwarded + " packets");
            }
            long errors = room.packetPathErrors();
            if (errors > 0) {
                throw new IllegalStateException(errors + " packets dropped on the path");
            }
        } finally {
            room.close();
        }
    }
}
