package io.portunus.media.dtls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import io.portunus.media.srtp.SrtpSession;
import io.portunus.media.srtp.TestPackets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DtlsSessionTest {

    private static DtlsCertificate clientCert;
    private static DtlsCertificate serverCert;
    private final Random random = new Random(42);

    @BeforeAll
    static void certificates() {
        clientCert = DtlsCertificate.generate();
        serverCert = DtlsCertificate.generate();
    }

    private static DtlsSession.Options only(SrtpProfile p) {
        return DtlsSession.Options.defaults().withProfiles(List.of(p));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void handshakeThenSrtpBothWays(SrtpProfile profile) throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, only(profile), DtlsSession.Options.defaults())) {
            assertThat(pair.client.state()).isEqualTo(DtlsState.CREATED);
            pair.start();
            SrtpKeys c = pair.clientEvents.awaitKeys();
            SrtpKeys s = pair.serverEvents.awaitKeys();
            assertThat(c.profile()).isEqualTo(profile);
            assertThat(s).isEqualTo(c.mirrored());
            assertThat(c.localKey()).isNotEqualTo(c.remoteKey());
            assertThat(pair.client.state()).isEqualTo(DtlsState.CONNECTED);
            assertThat(pair.server.state()).isEqualTo(DtlsState.CONNECTED);

            SrtpSession cs = new SrtpSession(c);
            SrtpSession ss = new SrtpSession(s);
            for (int i = 0; i < 3; i++) {
                byte[] rtp = TestPackets.rtp(0xCAFE, 1000 + i, 3000L * i, 200, random);
                byte[] toServer = cs.protectRtp(rtp, 0, rtp.length);
                assertThat(Arrays.copyOf(toServer, ss.unprotectRtp(toServer, 0, toServer.length))).isEqualTo(rtp);
                byte[] toClient = ss.protectRtp(rtp, 0, rtp.length);
                assertThat(Arrays.copyOf(toClient, cs.unprotectRtp(toClient, 0, toClient.length))).isEqualTo(rtp);

                byte[] rtcp = TestPackets.srSdes(0xCAFE, 0xE000000000000000L + i, 3000L * i, i, 200 * i);
                byte[] rtcpToServer = cs.protectRtcp(rtcp, 0, rtcp.length);
                assertThat(Arrays.copyOf(rtcpToServer, ss.unprotectRtcp(rtcpToServer, 0, rtcpToServer.length))).isEqualTo(rtcp);
                byte[] rtcpToClient = ss.protectRtcp(rtcp, 0, rtcp.length);
                assertThat(Arrays.copyOf(rtcpToClient, cs.unprotectRtcp(rtcpToClient, 0, rtcpToClient.length))).isEqualTo(rtcp);
            }

            ObjectNode info = pair.server.describe();
            assertThat(info.get("fingerprint").asText()).isEqualTo(serverCert.fingerprintSha256());
            assertThat(info.get("remote-fingerprint").asText()).isEqualTo(clientCert.fingerprintSha256());
            assertThat(info.get("remote-fingerprint-hash").asText()).isEqualTo("sha-256");
            assertThat(info.get("dtls-role").asText()).isEqualTo("passive");
            assertThat(info.get("dtls-state").asText()).isEqualTo("connected");
            assertThat(info.get("srtp-profile").asText()).isEqualTo(profile.janusName());
            assertThat(info.get("valid").asBoolean()).isTrue();
            assertThat(info.get("ready").asBoolean()).isTrue();
            assertThat(info.get("connected").asLong()).isGreaterThanOrEqualTo(info.get("handshake-started").asLong());
            assertThat(info.at("/stats/in/packets").asLong()).isPositive();
            assertThat(info.at("/stats/out/bytes").asLong()).isPositive();
            assertThat(pair.client.describe().get("dtls-role").asText()).isEqualTo("active");
        }
    }

    @Test
    void defaultsPreferJanusOrderAndTheServerPicks() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            pair.start();
            assertThat(pair.clientEvents.awaitKeys().profile()).isEqualTo(SrtpProfile.AEAD_AES_256_GCM);
        }
        // The server's order decides among the common profiles; the client honours it.
        DtlsSession.Options serverPrefers = DtlsSession.Options.defaults()
            .withProfiles(List.of(SrtpProfile.AES128_CM_SHA1_32, SrtpProfile.AES128_CM_SHA1_80));
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), serverPrefers)) {
            pair.start();
            assertThat(pair.clientEvents.awaitKeys().profile()).isEqualTo(SrtpProfile.AES128_CM_SHA1_32);
            assertThat(pair.serverEvents.awaitKeys().profile()).isEqualTo(SrtpProfile.AES128_CM_SHA1_32);
        }
    }

    @Test
    void noCommonProfileFails() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, only(SrtpProfile.AES128_CM_SHA1_80),
            only(SrtpProfile.AEAD_AES_128_GCM))) {
            pair.start();
            assertThat(pair.serverEvents.awaitFailure()).isEqualTo("DTLS error");
            assertThat(pair.clientEvents.awaitFailure()).isEqualTo("DTLS alert");
            assertThat(pair.server.state()).isEqualTo(DtlsState.FAILED);
            assertThat(pair.server.describe().get("srtp-profile").asText()).isEqualTo("none");
        }
    }

    @Test
    void wrongFingerprintFailsOnTheCheckingSide() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        // The client expects another server certificate.
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(),
            DtlsSession.Options.defaults(), other.fingerprintSha256(), clientCert.fingerprintSha256())) {
            pair.start();
            assertThat(pair.clientEvents.awaitFailure()).isEqualTo("DTLS error");
            assertThat(pair.client.state()).isEqualTo(DtlsState.FAILED);
            assertThat(pair.serverEvents.awaitFailure()).isEqualTo("DTLS alert");
            assertThat(pair.clientEvents.connected).isNotDone();
        }
        // The server expects another client certificate.
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(),
            DtlsSession.Options.defaults(), serverCert.fingerprintSha256(), other.fingerprintSha256())) {
            pair.start();
            assertThat(pair.serverEvents.awaitFailure()).isEqualTo("DTLS error");
            assertThat(pair.server.state()).isEqualTo(DtlsState.FAILED);
            assertThat(pair.serverEvents.connected).isNotDone();
        }
    }

    @Test
    void fingerprintComparisonIgnoresCaseAndTheOtherHashWorks() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(),
            DtlsSession.Options.defaults(), serverCert.fingerprintSha256().toLowerCase(), clientCert.fingerprintSha256())) {
            pair.server.setRemoteFingerprint("sha-1", clientCert.fingerprint("sha-1"));
            pair.start();
            pair.clientEvents.awaitKeys();
            pair.serverEvents.awaitKeys();
        }
    }

    @Test
    void noPeerTimesOutAndCountsRetransmissions() throws Exception {
        DtlsSession.Options quick = DtlsSession.Options.defaults().withHandshakeTimeoutMillis(2500);
        List<byte[]> sent = new CopyOnWriteArrayList<>();
        DtlsPair.Recorder events = new DtlsPair.Recorder();
        DtlsSession lonely = new DtlsSession(clientCert, DtlsRole.CLIENT, "sha-256", serverCert.fingerprintSha256(),
            sent::add, events, 1200, DtlsPair.withThreads(quick));
        lonely.start();
        assertThat(lonely.state()).isEqualTo(DtlsState.TRYING);
        assertThat(events.awaitFailure()).isEqualTo("DTLS timeout");
        assertThat(lonely.state()).isEqualTo(DtlsState.FAILED);
        assertThat(lonely.retransmissions()).isGreaterThanOrEqualTo(1);
        assertThat(sent.size()).isGreaterThanOrEqualTo(2); // ClientHello and its resend
        assertThat(lonely.describe().get("retransmissions").asLong()).isEqualTo(lonely.retransmissions());
        lonely.close();
    }

    @Test
    void peerCloseNotifyEndsTheSessionAndLocalCloseIsQuiet() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            pair.start();
            pair.clientEvents.awaitKeys();
            pair.serverEvents.awaitKeys();
            pair.client.close();
            assertThat(pair.serverEvents.closed.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pair.clientEvents.closed).isNotDone();
            assertThat(pair.clientEvents.failed).isNotDone();
            assertThat(pair.serverEvents.failed).isNotDone();
        }
    }

    /**
     * A connected session's reader waits for datagrams up to {@link DtlsSession#READ_WAIT_MILLIS}
     * (a minute); a local close must still end it at once, not at the end of that wait.
     */
    @Test
    void localCloseEndsTheReaderAtOnce() throws Exception {
        List<Thread> serverThreads = new CopyOnWriteArrayList<>();
        ThreadFactory recording = r -> {
            Thread t = Thread.ofVirtual().unstarted(r);
            serverThreads.add(t);
            return t;
        };
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(),
                DtlsSession.Options.defaults().withThreads(recording))) {
            pair.start();
            pair.clientEvents.awaitKeys();
            pair.serverEvents.awaitKeys();
            assertThat(serverThreads).hasSize(1);
            Thread reader = serverThreads.get(0);
            assertThat(reader.isAlive()).as("reading after the handshake").isTrue();
            pair.server.close();
            assertThat(reader.join(Duration.ofSeconds(5))).as("reader ended within 5 s of close").isTrue();
            assertThat(pair.clientEvents.closed.get(10, TimeUnit.SECONDS)).as("close_notify reached the client").isTrue();
        }
    }

    @Test
    void applicationDataFlowsAfterTheHandshake() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            List<byte[]> got = new CopyOnWriteArrayList<>();
            pair.server.setApplicationDataHandler(got::add);
            assertThat(pair.client.sendApplicationData(new byte[] {1}, 0, 1)).isFalse(); // not connected yet
            pair.start();
            pair.clientEvents.awaitKeys();
            pair.serverEvents.awaitKeys();
            assertThat(pair.client.sendApplicationData(new byte[] {9, 8, 7}, 0, 3)).isTrue();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(got).hasSize(1);
            assertThat(got.get(0)).containsExactly(9, 8, 7);
        }
    }

    /**
     * A browser sends one SCTP packet per data channel message: 300 {@code send()} calls arrive
     * as 300 DTLS records within milliseconds, while the session thread is still busy with the
     * first. All of them must reach the application (the queue once held 64 and dropped the rest).
     */
    @Test
    void aBurstOfApplicationRecordsWhileTheReaderIsBusyIsNotDropped() throws Exception {
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            int burst = 300;
            CountDownLatch firstArrived = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch all = new CountDownLatch(burst);
            List<Integer> got = new CopyOnWriteArrayList<>();
            pair.server.setApplicationDataHandler(d -> {
                got.add(d[0] & 0xFF | (d[1] & 0xFF) << 8);
                firstArrived.countDown();
                try {
                    release.await(); // the reader stalls on the first record, as a busy thread would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                all.countDown();
            });
            pair.start();
            pair.clientEvents.awaitKeys();
            pair.serverEvents.awaitKeys();
            assertThat(pair.client.sendApplicationData(new byte[] {0, 0}, 0, 2)).isTrue();
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < burst; i++) {
                assertThat(pair.client.sendApplicationData(new byte[] {(byte) i, (byte) (i >> 8)}, 0, 2)).isTrue();
            }
            release.countDown();
            assertThat(all.await(10, TimeUnit.SECONDS)).as("records through: %d", got.size()).isTrue();
            assertThat(got).hasSize(burst).doesNotHaveDuplicates();
            assertThat(pair.server.droppedDatagrams()).isZero();
        }
    }

    /**
     * 5000 random, truncated and mutated datagrams reach a server waiting for its ClientHello;
     * none may escape {@code receive}, and the real handshake must still complete afterwards.
     */
    @Test
    void garbageDoesNotBreakAHandshakeInProgress() throws Exception {
        List<byte[]> samples = realRecordsFromAnotherHandshake();
        try (DtlsPair pair = new DtlsPair(clientCert, serverCert, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            pair.serverOut = d -> { }; // whatever the server says to garbage goes nowhere
            pair.server.start();
            assertThat(pair.server.state()).isEqualTo(DtlsState.TRYING);
            assertThatCode(() -> {
                for (int i = 0; i < 5000; i++) {
                    byte[] d = mutate(samples.get(i % samples.size()), i);
                    pair.server.receive(d, 0, d.length);
                    if (i % 32 == 0) {
                        waitForQueue(pair.server);
                    }
                }
                pair.server.receive(null, 0, 5);
                pair.server.receive(new byte[4], 3, 5);
                pair.server.receive(new byte[4], -1, 2);
                pair.server.receive(new byte[4], 0, 0);
            }).doesNotThrowAnyException();
            waitForQueue(pair.server);
            assertThat(pair.server.state()).isEqualTo(DtlsState.TRYING);
            pair.serverOut = d -> pair.client.receive(d, 0, d.length);
            pair.client.start();
            SrtpKeys c = pair.clientEvents.awaitKeys();
            assertThat(pair.serverEvents.awaitKeys()).isEqualTo(c.mirrored());
            // And garbage after connecting changes nothing either, even well-framed records of
            // the current epoch whose MAC cannot verify.
            for (int i = 0; i < 500; i++) {
                byte[] d = mutate(samples.get(i % samples.size()), i);
                pair.client.receive(d, 0, d.length);
            }
            for (int i = 0; i < 50; i++) {
                byte[] d = new byte[13 + 40];
                random.nextBytes(d);
                d[0] = (byte) (i % 2 == 0 ? 23 : 21);
                d[1] = (byte) 0xFE;
                d[2] = (byte) 0xFD;
                d[3] = 0;
                d[4] = 1;
                d[11] = 0;
                d[12] = 40;
                pair.client.receive(d, 0, d.length);
            }
            waitForQueue(pair.client);
            Thread.sleep(200);
            assertThat(pair.client.state()).isEqualTo(DtlsState.CONNECTED);
            assertThat(pair.clientEvents.failed).isNotDone();
        }
    }

    private static void waitForQueue(DtlsSession s) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.queuedDatagrams() > 0 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
    }

    /** Records of a completed handshake between two other certificates, to mutate. */
    private List<byte[]> realRecordsFromAnotherHandshake() throws Exception {
        List<byte[]> records = new CopyOnWriteArrayList<>();
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        try (DtlsPair other = new DtlsPair(a, b, DtlsSession.Options.defaults(), DtlsSession.Options.defaults())) {
            other.clientOut = d -> { records.add(d); other.server.receive(d, 0, d.length); };
            other.serverOut = d -> { records.add(d); other.client.receive(d, 0, d.length); };
            other.start();
            other.clientEvents.awaitKeys();
            other.serverEvents.awaitKeys();
        }
        return new ArrayList<>(records);
    }

    private byte[] mutate(byte[] real, int i) {
        switch (i % 5) {
            case 0: { // random bytes that look like DTLS (RFC 7983: first byte 20..63)
                byte[] d = new byte[1 + random.nextInt(300)];
                random.nextBytes(d);
                d[0] = (byte) (20 + random.nextInt(44));
                return d;
            }
            case 1: // truncated real record
                return Arrays.copyOf(real, 1 + random.nextInt(Math.max(1, real.length - 1)));
            case 2: { // real record with its length field lying
                byte[] d = real.clone();
                if (d.length > 12) {
                    int lie = (((d[11] & 0xFF) << 8) | (d[12] & 0xFF)) + 1 + random.nextInt(1000);
                    d[11] = (byte) (lie >> 8);
                    d[12] = (byte) lie;
                }
                return d;
            }
            case 3: { // real record with a few bytes flipped past the record header, then truncated
                byte[] d = real.clone();
                for (int k = 0; k < 3; k++) {
                    d[random.nextInt(d.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return Arrays.copyOf(d, Math.max(1, d.length - 1 - random.nextInt(8)));
            }
            default: { // a valid-looking record header (handshake, DTLS 1.2, epoch 0) over junk
                byte[] d = new byte[13 + random.nextInt(200)];
                random.nextBytes(d);
                d[0] = 22;
                d[1] = (byte) 0xFE;
                d[2] = (byte) 0xFD;
                d[3] = 0;
                d[4] = 0;
                int len = d.length - 13;
                d[11] = (byte) (len >> 8);
                d[12] = (byte) len;
                if (d.length > 13) {
                    d[13] = (byte) (2 + random.nextInt(20)); // not a ClientHello
                }
                return d;
            }
        }
    }
}
