package io.portunus.bench;

import io.portunus.core.spi.MediaPacket;
import io.portunus.media.rtp.LossDetector;
import io.portunus.media.rtp.RetransmissionBuffer;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import io.portunus.media.srtp.SrtpSession;
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
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-packet work of an EchoTest relay, as PeerConnection does it, without the socket:
 * SRTP unprotect, RTP checks, loss tracking, the plugin hand-off, SSRC rewrite, the
 * retransmission buffer, SRTP protect — for one 1200-byte video packet.
 *
 * <p>Run with {@code bench/jmh/run.sh RelayPathBench}.
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

    private SrtpSession browser;
    private SrtpSession server;
    private final LossDetector loss = new LossDetector();
    private final RetransmissionBuffer sent = new RetransmissionBuffer(1024, 1_000_000);
    private byte[] plain;
    private int seq;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        SecureRandom r = new SecureRandom();
        byte[] k1 = new byte[p.keyLength()];
        byte[] s1 = new byte[p.saltLength()];
        byte[] k2 = new byte[p.keyLength()];
        byte[] s2 = new byte[p.saltLength()];
        r.nextBytes(k1);
        r.nextBytes(s1);
        r.nextBytes(k2);
        r.nextBytes(s2);
        browser = new SrtpSession(new SrtpKeys(p, k1, s1, k2, s2));
        server = new SrtpSession(new SrtpKeys(p, k2, s2, k1, s1));
        plain = new byte[1200];
        r.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        RtpHeader.ssrc(plain, 0, 0x1234_5678L);
    }

    /** One packet through the server: what arrives protected leaves protected. */
    @Benchmark
    public byte[] relayOnePacket() {
        seq = (seq + 1) & 0xFFFF;
        RtpHeader.sequence(plain, 0, seq);
        RtpHeader.timestamp(plain, 0, seq * 3000L);
        // The browser side: done outside the server in reality, but its cost is not ours.
        byte[] wire = browser.protectRtp(plain, 0, plain.length);
        return serverPath(wire);
    }

    private byte[] serverPath(byte[] wire) {
        now += 1000;
        int len = server.unprotectRtp(wire, 0, wire.length);
        if (len < 0 || !RtpHeader.isValidRtp(wire, 0, len)) {
            throw new IllegalStateException("unprotect failed");
        }
        loss.received(RtpHeader.sequence(wire, 0), now);
        MediaPacket packet = new MediaPacket("1", true, wire, 0, len); // the plugin hand-off
        RtpHeader.ssrc(packet.buffer(), 0, 0x0BAD_CAFEL);
        sent.add(packet.buffer(), 0, len, now);
        return server.protectRtp(packet.buffer(), 0, len);
    }

    /** The browser's protect alone, to subtract from {@link #relayOnePacket}. */
    @Benchmark
    public byte[] browserProtectOnly() {
        seq = (seq + 1) & 0xFFFF;
        RtpHeader.sequence(plain, 0, seq);
        return browser.protectRtp(plain, 0, plain.length);
    }
}
