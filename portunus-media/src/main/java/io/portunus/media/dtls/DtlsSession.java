package io.portunus.media.dtls;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The DTLS-SRTP association of one PeerConnection (RFC 5763, RFC 5764): runs the Bouncy Castle
 * DTLS handshake over the ICE-selected pair, checks the peer's certificate against the SDP
 * {@code a=fingerprint}, and hands the exported SRTP keys to the {@link Listener}.
 *
 * <p>Threads: {@link #receive} is called by the I/O thread and only queues a copy; the blocking
 * BC handshake (and afterwards the read loop that notices alerts and carries application data
 * for a future SCTP stack) runs on one virtual thread per session, which also calls
 * {@code send} and the listener. Listener methods must not block for long.
 *
 * <p>Life cycle (Janus states, media.md §2): {@code created} → {@link #start()} →
 * {@code trying} → {@code connected} ({@link Listener#onConnected}) or {@code failed}
 * ({@link Listener#onFailed}, at most once). After connecting, a peer {@code close_notify} calls
 * {@link Listener#onClosed} and a peer fatal alert calls {@code onFailed("DTLS alert")}. A local
 * {@link #close()} calls neither.
 */
public final class DtlsSession {
    /** How long the reader waits for a datagram before looking at its flags again. */
    static final int READ_WAIT_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);

    /** Janus's offer order (media.md §3): the AEAD profiles first, then AES-CM 80, 32. */
    public static final List<SrtpProfile> DEFAULT_PROFILES = List.of(
        SrtpProfile.AEAD_AES_256_GCM, SrtpProfile.AEAD_AES_128_GCM,
        SrtpProfile.AES128_CM_SHA1_80, SrtpProfile.AES128_CM_SHA1_32);
    /** Janus hangs up with "DTLS timeout" when the handshake is not done in 20 s. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 20_000;
    /** {@code media.dtls_mtu} default. */
    public static final int DEFAULT_MTU = 1200;

    public static final String REASON_ALERT = "DTLS alert";
    public static final String REASON_TIMEOUT = "DTLS timeout";
    public static final String REASON_ERROR = "DTLS error";

    /** The integrator's side of the session; called on the session's thread. */
    public interface Listener {
        /** Handshake done and fingerprint verified: create the {@code SrtpSession} from these keys. */
        void onConnected(SrtpKeys keys);

        /** {@code "DTLS alert"}, {@code "DTLS timeout"} or {@code "DTLS error"} (incl. fingerprint mismatch). */
        void onFailed(String reason);

        /** The peer closed the association with {@code close_notify} after connecting. */
        void onClosed();
    }

    /**
     * Tunables: the SRTP profiles to offer (client) or accept (server) in preference order, the
     * handshake timeout, and the monotonic clock (µs) for the handle_info timestamps: the
     * server passes its own, so DTLS times share the time base of every other timestamp.
     */
    public record Options(List<SrtpProfile> profiles, int handshakeTimeoutMillis, LongSupplier clock,
                          ThreadFactory threads) {
        public Options {
            profiles = List.copyOf(profiles);
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile is needed");
            }
            if (handshakeTimeoutMillis <= 0) {
                throw new IllegalArgumentException("handshake timeout must be positive");
            }
            Objects.requireNonNull(clock, "clock");
        }

        public static Options defaults() {
            return new Options(DEFAULT_PROFILES, DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, () -> System.nanoTime() / 1_000, null);
        }

        public Options withProfiles(List<SrtpProfile> p) {
            return new Options(p, handshakeTimeoutMillis, clock, threads);
        }

        public Options withHandshakeTimeoutMillis(int ms) {
            return new Options(profiles, ms, clock, threads);
        }

        public Options withClock(LongSupplier monotonicMicros) {
            return new Options(profiles, handshakeTimeoutMillis, monotonicMicros, threads);
        }

        /** Where the blocking handshake runs (one thread per session; the server passes virtual threads). */
        public Options withThreads(ThreadFactory factory) {
            return new Options(profiles, handshakeTimeoutMillis, clock, factory);
        }
    }

    /**
     * One BC crypto object is enough: BcTlsCrypto is stateless apart from its SecureRandom. Its
     * AES-GCM records go through the JDK's cipher ({@link JdkGcmCrypto}: data channels' CPU).
     */
    private static final BcTlsCrypto CRYPTO = new JdkGcmCrypto(new SecureRandom());

    private final DtlsCertificate cert;
    private final DtlsRole role;
    private final Listener listener;
    private final Options options;
    private final QueueDatagramTransport transport;

    private volatile String remoteHash;
    private volatile String remoteFingerprint;
    private volatile DtlsState state = DtlsState.CREATED;
    private volatile SrtpKeys keys;
    private volatile long handshakeStarted = -1;
    private volatile long connectedAt = -1;
    private volatile boolean fingerprintMismatch;
    private volatile boolean alertReceived;
    private volatile boolean remoteClosed;
    private volatile boolean closed;
    private volatile DTLSTransport dtls;
    private volatile Consumer<byte[]> applicationData;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private Thread thread;

    /**
     * @param remoteFingerprintHash the SDP fingerprint hash function ("sha-256", "sha-1", ...)
     * @param remoteFingerprint     the SDP fingerprint, hex pairs with colons (any case); may be
     *                              {@code null} now and given later with {@link #setRemoteFingerprint}
     * @param send                  gets each outgoing DTLS datagram (a fresh array), on the session thread
     * @param mtu                   largest datagram we send ({@code media.dtls_mtu}, 1200)
     */
    public DtlsSession(DtlsCertificate cert, DtlsRole role, String remoteFingerprintHash, String remoteFingerprint,
                       Consumer<byte[]> send, Listener listener, int mtu) {
        this(cert, role, remoteFingerprintHash, remoteFingerprint, send, listener, mtu, Options.defaults());
    }

    public DtlsSession(DtlsCertificate cert, DtlsRole role, String remoteFingerprintHash, String remoteFingerprint,
                       Consumer<byte[]> send, Listener listener, int mtu, Options options) {
        this.cert = Objects.requireNonNull(cert, "cert");
        this.role = Objects.requireNonNull(role, "role");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.options = Objects.requireNonNull(options, "options");
        if (mtu < 256) {
            throw new IllegalArgumentException("DTLS MTU " + mtu + " is too small");
        }
        this.transport = new QueueDatagramTransport(Objects.requireNonNull(send, "send"), mtu);
        setRemoteFingerprint(remoteFingerprintHash, remoteFingerprint);
    }

    /**
     * Sets the peer's SDP fingerprint, e.g. when the answer arrives after the session was made.
     * It is checked when the peer's Certificate message arrives.
     */
    public void setRemoteFingerprint(String hashFunction, String fingerprint) {
        String hash = hashFunction == null ? "sha-256" : hashFunction.trim().toLowerCase(Locale.ROOT);
        DtlsCertificate.fingerprint(new byte[0], hash); // fail fast on a hash we cannot compute
        this.remoteHash = hash;
        this.remoteFingerprint = fingerprint;
    }

    /** Starts the handshake on a thread of {@link Options#threads()}; later calls do nothing. */
    public void start() {
        if (closed || !started.compareAndSet(false, true)) {
            return;
        }
        handshakeStarted = options.clock().getAsLong();
        state = DtlsState.TRYING;
        transport.startHandshake(options.handshakeTimeoutMillis());
        if (options.threads() == null) {
            throw new IllegalStateException("DtlsSession needs a thread factory (Options.withThreads)");
        }
        thread = options.threads().newThread(this::run);
        thread.setName("dtls-" + role.janusName());
        thread.start();
    }

    /**
     * An incoming DTLS datagram (RFC 7983 §7: first byte 20..63). Copies and queues it; never
     * blocks or throws. Datagrams that arrive before {@link #start()} wait in the queue.
     */
    public void receive(byte[] datagram, int offset, int length) {
        if (datagram == null || offset < 0 || length <= 0 || offset > datagram.length - length) {
            return;
        }
        transport.offer(datagram, offset, length);
    }

    public DtlsState state() {
        return state;
    }

    public DtlsRole role() {
        return role;
    }

    /** The negotiated keys once connected, else {@code null}. */
    public SrtpKeys srtpKeys() {
        return keys;
    }

    /** Datagrams queued for the session thread (tests that drive time themselves wait for it to drain). */
    public int queuedDatagrams() {
        return transport.queued();
    }

    /** Incoming datagrams dropped because the session thread's queue was full. */
    public long droppedDatagrams() {
        return transport.dropped.get();
    }

    /** Handshake flights resent after a timer expiry. */
    public long retransmissions() {
        return transport.retransmissions.get();
    }

    /**
     * Receives DTLS application data (SCTP for data channels) after the handshake, on the
     * session thread. Without a handler such data is discarded.
     */
    public void setApplicationDataHandler(Consumer<byte[]> handler) {
        this.applicationData = handler;
    }

    /**
     * Sends DTLS application data (one record). Only once connected; one sender at a time.
     *
     * @return false if not connected or the record could not be sent
     */
    public boolean sendApplicationData(byte[] data, int offset, int length) {
        DTLSTransport t = dtls;
        if (t == null || closed || state != DtlsState.CONNECTED) {
            return false;
        }
        try {
            t.send(data, offset, length);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("DTLS send failed: {}", e.toString());
            return false;
        }
    }

    /** Sends {@code close_notify} if connected (RFC 5246 §7.2.1) and stops the session thread. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ended.set(true); // a local close reports nothing to the listener
        DTLSTransport t = dtls;
        if (t != null) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS close: {}", e.toString());
            }
        }
        transport.close();
    }

    /** The {@code webrtc.dtls} object of handle_info (admin-api.md §4.1). */
    public ObjectNode describe() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("fingerprint", cert.fingerprintSha256());
        if (remoteFingerprint != null) {
            o.put("remote-fingerprint", remoteFingerprint);
            o.put("remote-fingerprint-hash", remoteHash);
        }
        o.put("dtls-role", role.janusName());
        o.put("dtls-state", state.janusName());
        o.put("retransmissions", transport.retransmissions.get());
        SrtpKeys k = keys;
        o.put("valid", k != null);
        o.put("srtp-profile", k != null ? k.profile().janusName() : "none");
        o.put("ready", state == DtlsState.CONNECTED && k != null);
        if (handshakeStarted >= 0) {
            o.put("handshake-started", handshakeStarted);
        }
        if (connectedAt >= 0) {
            o.put("connected", connectedAt);
        }
        ObjectNode stats = o.putObject("stats");
        ObjectNode in = stats.putObject("in");
        in.put("packets", transport.inPackets.get());
        in.put("bytes", transport.inBytes.get());
        ObjectNode out = stats.putObject("out");
        out.put("packets", transport.outPackets.get());
        out.put("bytes", transport.outBytes.get());
        return o;
    }

    // ---- the session thread ----

    private final DtlsSrtpPeers.Events events = new DtlsSrtpPeers.Events() {
        @Override
        public void verifyPeer(Certificate peer) throws IOException {
            DtlsSession.this.verifyPeer(peer);
        }

        @Override
        public void handshakeComplete(SrtpKeys k) {
            keys = k;
        }

        @Override
        public void alertReceived(short level, short description) {
            if (description == AlertDescription.close_notify) {
                remoteClosed = true;
            } else if (level == AlertLevel.fatal) {
                alertReceived = true;
            }
        }
    };

    private void run() {
        try {
            DTLSTransport t;
            if (role == DtlsRole.CLIENT) {
                t = new DTLSClientProtocol().connect(new DtlsSrtpPeers.Client(CRYPTO, cert, options.profiles(),
                    options.handshakeTimeoutMillis(), events), transport);
            } else {
                DTLSServerProtocol server = new DTLSServerProtocol();
                // No HelloVerifyRequest cookie exchange: ICE consent already proved the peer's
                // address (RFC 7675), and the extra round trip only slows media start.
                server.setVerifyRequests(false);
                t = server.accept(new DtlsSrtpPeers.Server(CRYPTO, cert, options.profiles(),
                    options.handshakeTimeoutMillis(), events), transport);
            }
            transport.handshakeDone();
            if (closed) {
                t.close();
                return;
            }
            dtls = t;
            connectedAt = options.clock().getAsLong();
            state = DtlsState.CONNECTED;
            LOG.debug("DTLS connected as {}, {}", role.janusName(), keys);
            try {
                listener.onConnected(keys);
            } catch (RuntimeException e) {
                LOG.warn("DTLS onConnected listener failed", e);
            }
            readLoop(t);
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return; // our own close() interrupted the handshake or the read loop
            }
            if (remoteClosed && state == DtlsState.CONNECTED) {
                // BC closed its record layer after the peer's close_notify: an orderly end.
                transport.close();
                end(listener::onClosed);
                return;
            }
            String reason = reasonFor(e);
            LOG.debug("DTLS {} failed ({}): {}", role.janusName(), reason, e.toString());
            state = DtlsState.FAILED;
            transport.close();
            end(() -> listener.onFailed(reason));
        }
    }

    /**
     * After the handshake BC needs a reader to process alerts (close_notify, fatal alerts) and
     * application data. It waits long: {@link #close()} and BC's own close on a peer's alert wake
     * it at once (the transport's close ends a blocked receive). It used to wake every second
     * to look at the flags, and each wake-up made BC allocate a record buffer that lived that
     * second: at 300 sessions 300 buffers and virtual-thread stack chunks a second, enough
     * to outlive the young collections and fill the old generation (docs/benchmarks.md, issue #22).
     */
    private void readLoop(DTLSTransport t) throws IOException {
        byte[] buf = new byte[transport.getReceiveLimit()];
        while (!closed && !remoteClosed) {
            int n = t.receive(buf, 0, buf.length, READ_WAIT_MILLIS);
            Consumer<byte[]> h = applicationData;
            if (n > 0 && h != null) {
                byte[] copy = new byte[n];
                System.arraycopy(buf, 0, copy, 0, n);
                try {
                    h.accept(copy);
                } catch (RuntimeException e) {
                    LOG.warn("DTLS application data handler failed", e);
                }
            }
        }
        if (remoteClosed && !closed) {
            try {
                t.close(); // answer close_notify with ours (RFC 5246 §7.2.1)
            } catch (IOException ignored) {
                // the peer is going away anyway
            }
            transport.close();
            end(listener::onClosed);
        }
    }

    private void end(Runnable callback) {
        if (ended.compareAndSet(false, true)) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("DTLS listener failed", e);
            }
        }
    }

    private String reasonFor(Throwable e) {
        if (transport.handshakeTimedOut() || e instanceof TlsTimeoutException) {
            return REASON_TIMEOUT;
        }
        if (!fingerprintMismatch && (alertReceived || e instanceof TlsFatalAlertReceived)) {
            return REASON_ALERT;
        }
        return REASON_ERROR;
    }

    /** RFC 5763 §5 / RFC 8122 §5: the certificate must hash to the SDP fingerprint. */
    private void verifyPeer(Certificate peer) throws IOException {
        if (peer == null || peer.isEmpty()) {
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        String expected = remoteFingerprint;
        String actual = DtlsCertificate.fingerprint(peer.getCertificateAt(0).getEncoded(), remoteHash);
        if (expected == null || !normalise(actual).equals(normalise(expected))) {
            fingerprintMismatch = true;
            LOG.warn("DTLS peer certificate fingerprint {} {} does not match the SDP's {}", remoteHash, actual, expected);
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "fingerprint mismatch");
        }
    }

    private static String normalise(String fp) {
        StringBuilder b = new StringBuilder(fp.length());
        for (int i = 0; i < fp.length(); i++) {
            char c = fp.charAt(i);
            if (Character.digit(c, 16) >= 0) {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "DtlsSession[" + role.janusName() + ", " + state.janusName() + "]";
    }
}
