package io.portunus.media.dtls;

import io.portunus.media.srtp.SrtpKeys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Handshakes in memory, client against server, with the server's own certificate, so that the
 * handshake's code (Bouncy Castle's elliptic-curve arithmetic above all) is compiled before the
 * first calls come: cold, one handshake costs ~300 ms of CPU against ~5 ms compiled, and the
 * first calls after a start (a room's subscribers joining at once) would each wait for that.
 */
public final class DtlsWarmUp {
    private DtlsWarmUp() {
    }

    /**
     * Runs {@code rounds} handshakes one after the other, on the threads of {@code options};
     * returns how many completed. Blocks.
     */
    public static int run(DtlsCertificate cert, DtlsSession.Options options, int rounds) {
        int done = 0;
        for (int i = 0; i < rounds && !Thread.currentThread().isInterrupted(); i++) {
            if (handshake(cert, options)) {
                done++;
            }
        }
        return done;
    }

    private static boolean handshake(DtlsCertificate cert, DtlsSession.Options options) {
        Waiter clientDone = new Waiter();
        Waiter serverDone = new Waiter();
        DtlsSession[] pair = new DtlsSession[2];
        String fingerprint = cert.fingerprintSha256();
        pair[0] = new DtlsSession(cert, DtlsRole.CLIENT, "sha-256", fingerprint,
                d -> pair[1].receive(d, 0, d.length), clientDone, 1200, options);
        pair[1] = new DtlsSession(cert, DtlsRole.SERVER, "sha-256", fingerprint,
                d -> pair[0].receive(d, 0, d.length), serverDone, 1200, options);
        try {
            pair[1].start();
            pair[0].start();
            clientDone.result.get(10, TimeUnit.SECONDS);
            return serverDone.result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    private static final class Waiter implements DtlsSession.Listener {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();

        @Override
        public void onConnected(SrtpKeys keys) {
            result.complete(true);
        }

        @Override
        public void onFailed(String reason) {
            result.complete(false);
        }

        @Override
        public void onClosed() {
        }
    }
}
