package io.portunus.media.dtls;

import io.portunus.media.srtp.SrtpKeys;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A client and a server {@link DtlsSession} wired to each other in memory. */
final class DtlsPair implements AutoCloseable {

    /** Records what a session reports to its listener. */
    static final class Recorder implements DtlsSession.Listener {
        final CompletableFuture<SrtpKeys> connected = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();

        @Override
        public void onConnected(SrtpKeys keys) {
            connected.complete(keys);
        }

        @Override
        public void onFailed(String reason) {
            failed.complete(reason);
        }

        @Override
        public void onClosed() {
            closed.complete(true);
        }

        SrtpKeys awaitKeys() throws Exception {
            return connected.get(20, TimeUnit.SECONDS);
        }

        String awaitFailure() throws Exception {
            return failed.get(20, TimeUnit.SECONDS);
        }
    }

    /** Where the server's datagrams go; swappable so tests can drop or mangle them. */
    volatile Consumer<byte[]> serverOut;
    volatile Consumer<byte[]> clientOut;
    final Recorder clientEvents = new Recorder();
    final Recorder serverEvents = new Recorder();
    final DtlsSession client;
    final DtlsSession server;

    /** The sessions' handshakes on virtual threads, as the server runs them. */
    static DtlsSession.Options withThreads(DtlsSession.Options options) {
        return options.threads() != null ? options : options.withThreads(Thread.ofVirtual().factory());
    }

    DtlsPair(DtlsCertificate clientCert, DtlsCertificate serverCert, DtlsSession.Options clientOptions,
             DtlsSession.Options serverOptions, String clientExpects, String serverExpects) {
        client = new DtlsSession(clientCert, DtlsRole.CLIENT, "sha-256", clientExpects,
            d -> clientOut.accept(d), clientEvents, 1200, withThreads(clientOptions));
        server = new DtlsSession(serverCert, DtlsRole.SERVER, "sha-256", serverExpects,
            d -> serverOut.accept(d), serverEvents, 1200, withThreads(serverOptions));
        clientOut = d -> server.receive(d, 0, d.length);
        serverOut = d -> client.receive(d, 0, d.length);
    }

    DtlsPair(DtlsCertificate clientCert, DtlsCertificate serverCert, DtlsSession.Options clientOptions,
             DtlsSession.Options serverOptions) {
        this(clientCert, serverCert, clientOptions, serverOptions,
            serverCert.fingerprintSha256(), clientCert.fingerprintSha256());
    }

    void start() {
        server.start();
        client.start();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
