package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.dtls.DtlsRole;
import io.portunus.media.dtls.DtlsSession;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpSession;

/**
 * The DTLS-SRTP of one PeerConnection: the DTLS handshake, started once ICE connects, and the
 * SRTP session made from the keys it exports. The blocking Bouncy Castle handshake runs on a
 * virtual thread (inside {@link DtlsSession}); everything it reports is handed back to the
 * PeerConnection's loop, so the SRTP session appears there between two packets.
 */
final class DtlsSrtp {
    private final PeerConnection pc;
    private final MediaEngine engine;
    private final PeerConnection.Listener listener;
    private final MediaIo io;
    private final IceTransport transport;
    /** Final once the offer/answer settled it: at construction when answering, at the answer when offering. */
    private volatile DtlsRole role;
    private volatile String remoteFingerprintHash;
    private volatile String remoteFingerprint;
    private volatile DtlsSession dtls;
    private volatile SrtpSession srtp;

    DtlsSrtp(PeerConnection pc, MediaEngine engine, PeerConnection.Listener listener, MediaIo io,
             IceTransport transport, DtlsRole role, String remoteFingerprintHash, String remoteFingerprint) {
        this.pc = pc;
        this.engine = engine;
        this.listener = listener;
        this.io = io;
        this.transport = transport;
        this.role = role;
        this.remoteFingerprintHash = remoteFingerprintHash;
        this.remoteFingerprint = remoteFingerprint;
    }

    DtlsRole role() {
        return role;
    }

    /** Our offer said actpass: the peer's answer settles the role and its certificate's fingerprint. */
    void negotiated(DtlsRole role, String fingerprintHash, String fingerprint) {
        this.role = role;
        this.remoteFingerprintHash = fingerprintHash;
        this.remoteFingerprint = fingerprint;
    }

    boolean started() {
        return dtls != null;
    }

    /** The SRTP session once DTLS is connected, else null (SRTP packets are dropped until then). */
    SrtpSession srtp() {
        return srtp;
    }

    /** On the loop, when ICE connects: the handshake starts; its records go out on the selected pair. */
    void start() {
        DtlsSession session = new DtlsSession(engine.certificate(), role, remoteFingerprintHash, remoteFingerprint,
                datagram -> io.execute(() -> transport.write(datagram)), new DtlsSession.Listener() {
                    @Override
                    public void onConnected(SrtpKeys keys) {
                        io.execute(() -> connected(keys));
                    }

                    @Override
                    public void onFailed(String reason) {
                        io.execute(() -> {
                            engine.totals().dtlsFailed(reason);
                            listener.onDtlsState("failed", retransmissions());
                            pc.close(reason);
                        });
                    }

                    @Override
                    public void onClosed() {
                        io.execute(() -> pc.close("DTLS alert"));
                    }
                }, engine.settings().media.dtlsMtu(), engine.dtlsOptions().withClock(io::nowMicros)
                        .withThreads(io.handshakeThreads()));
        session.setApplicationDataHandler(record -> io.execute(() -> pc.dataReceived(record)));
        dtls = session;
        listener.onDtlsState("trying", 0);
        session.start();
    }

    /** On the loop, with the keys the handshake exported: SRTP from here on. */
    void connected(SrtpKeys keys) {
        if (pc.isClosed()) {
            return;
        }
        srtp = new SrtpSession(keys);
        pc.secured();
    }

    /** A DTLS record from the peer; ignored before the handshake starts. */
    void receive(byte[] data, int len) {
        DtlsSession d = dtls;
        if (d != null) {
            d.receive(data, 0, len);
        }
    }

    /** An SCTP packet for the peer, as one DTLS application record (on the loop). */
    boolean sendApplicationData(byte[] packet) {
        DtlsSession d = dtls;
        return d != null && d.sendApplicationData(packet, 0, packet.length);
    }

    /** The keys the handshake exported, null before (ours first: our key is the one we send with). */
    SrtpKeys keys() {
        DtlsSession d = dtls;
        return d == null ? null : d.srtpKeys();
    }

    /** Datagrams the handshake thread has yet to read (a test driving the loop waits for none). */
    int queuedDatagrams() {
        DtlsSession d = dtls;
        return d == null ? 0 : d.queuedDatagrams();
    }

    long retransmissions() {
        DtlsSession d = dtls;
        return d == null ? 0 : d.retransmissions();
    }

    /** Incoming DTLS datagrams dropped because the session thread was too far behind. */
    long droppedDatagrams() {
        DtlsSession d = dtls;
        return d == null ? 0 : d.droppedDatagrams();
    }

    void close() {
        DtlsSession d = dtls;
        if (d != null) {
            d.close();
        }
    }

    /** The {@code dtls} part of {@code handle_info}. */
    ObjectNode describe() {
        DtlsSession d = dtls;
        return d == null ? Json.object() : d.describe();
    }
}
