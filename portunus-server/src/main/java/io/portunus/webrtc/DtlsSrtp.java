package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
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
    private final EventLoop loop;
    private final IceTransport transport;
    /** Final once the offer/answer settled it: at construction when answering, at the answer when offering. */
    private volatile DtlsRole role;
    private volatile String remoteFingerprintHash;
    private volatile String remoteFingerprint;
    private volatile DtlsSession dtls;
    private volatile SrtpSession srtp;

    DtlsSrtp(PeerConnection pc, MediaEngine engine, PeerConnection.Listener listener, EventLoop loop,
             IceTransport transport, DtlsRole role, String remoteFingerprintHash, String remoteFingerprint) {
        this.pc = pc;
        this.engine = engine;
        this.listener = listener;
        this.loop = loop;
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
                datagram -> loop.execute(() -> transport.write(datagram)), new DtlsSession.Listener() {
                    @Override
                    public void onConnected(SrtpKeys keys) {
                        loop.execute(() -> connected(keys));
                    }

                    @Override
                    public void onFailed(String reason) {
                        loop.execute(() -> {
                            engine.totals().dtlsFailed(reason);
                            listener.onDtlsState("failed", retransmissions());
                            pc.close(reason);
                        });
                    }

                    @Override
                    public void onClosed() {
                        loop.execute(() -> pc.close("DTLS alert"));
                    }
                }, engine.settings().media.dtlsMtu(), engine.dtlsOptions());
        dtls = session;
        listener.onDtlsState("trying", 0);
        session.start();
    }

    private void connected(SrtpKeys keys) {
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

    long retransmissions() {
        DtlsSession d = dtls;
        return d == null ? 0 : d.retransmissions();
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
