package io.portunus.media.dtls;

import io.portunus.media.srtp.SrtpKeys;
import io.portunus.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

/**
 * The Bouncy Castle TLS peers for DTLS-SRTP (RFC 5764): a server and a client that both
 * present our certificate, demand the peer's (RFC 5763 §5: "the endpoint MUST ... request a
 * certificate"), check it against the SDP fingerprint instead of a CA, negotiate
 * {@code use_srtp} (RFC 5764 §4.1) and export the SRTP keys (RFC 5764 §4.2).
 */
final class DtlsSrtpPeers {

    private DtlsSrtpPeers() {
    }

    /** What the peers report back to {@link DtlsSession}, on the handshake thread. */
    interface Events {
        /** Throws a fatal alert if the peer's certificate does not match the SDP fingerprint. */
        void verifyPeer(Certificate peer) throws IOException;

        void handshakeComplete(SrtpKeys keys);

        void alertReceived(short level, short description);
    }

    /** DTLS 1.2 (what browsers use), and 1.0 for old endpoints, as OpenSSL in Janus accepts. */
    private static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.downTo(ProtocolVersion.DTLSv10);

    /** ECDHE only (forward secrecy); the CBC-SHA suites keep DTLS 1.0 peers working. */
    private static final int[] ECDSA_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };
    private static final int[] RSA_SUITES = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    };

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int[] ids(List<SrtpProfile> profiles) {
        return profiles.stream().mapToInt(SrtpProfile::dtlsId).toArray();
    }

    /** RFC 5764 §4.2: exporter label "EXTRACTOR-dtls_srtp", no context, 2 * (key + salt) bytes. */
    private static SrtpKeys export(TlsContext context, SrtpProfile profile) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        return SrtpKeys.fromKeyingMaterial(profile, material, !context.isServer());
    }

    /**
     * Our signing credentials, with a signature algorithm the peer listed (TLS 1.2 only;
     * DTLS 1.0 has no signature_algorithms and takes {@code null}).
     */
    private static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate cert,
                                                Vector<?> peerSigAlgs) throws IOException {
        short sigAlg = cert.isEcdsa() ? SignatureAlgorithm.ecdsa : SignatureAlgorithm.rsa;
        SignatureAndHashAlgorithm sh = null;
        if (TlsUtils.isSignatureAlgorithmsExtensionAllowed(context.getServerVersion())) {
            sh = TlsUtils.chooseSignatureAndHashAlgorithm(context, peerSigAlgs, sigAlg);
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, cert.privateKey(),
            cert.tlsCertificate(crypto), sh);
    }

    /** The passive side (a=setup:passive). BC's extension API uses raw Hashtables. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class Server extends DefaultTlsServer {
        private final BcTlsCrypto crypto;
        private final DtlsCertificate cert;
        private final List<SrtpProfile> offered;
        private final int timeoutMillis;
        private final Events events;
        private SrtpProfile chosen;

        Server(BcTlsCrypto crypto, DtlsCertificate cert, List<SrtpProfile> offered, int timeoutMillis, Events events) {
            super(crypto);
            this.crypto = crypto;
            this.cert = cert;
            this.offered = offered;
            this.timeoutMillis = timeoutMillis;
            this.events = events;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return VERSIONS;
        }

        /** Only suites our key can sign for: BC would otherwise pick an RSA suite for an EC key. */
        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(crypto, cert.isEcdsa() ? ECDSA_SUITES : RSA_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        /** The peer's certificate is checked by fingerprint only; its self-signature algorithm does not matter. */
        @Override
        public boolean shouldCheckSigAlgOfPeerCerts() {
            return false;
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (srtp == null) {
                // RFC 5764 §4.1.3: no use_srtp means no SRTP; WebRTC cannot work without it.
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer did not offer use_srtp");
            }
            // Our preference order decides among the profiles both sides support (as OpenSSL does for Janus).
            for (SrtpProfile p : offered) {
                for (int id : srtp.getProtectionProfiles()) {
                    if (id == p.dtlsId()) {
                        chosen = p;
                        return;
                    }
                }
            }
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
        }

        @Override
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = super.getServerExtensions();
            // RFC 5764 §4.1.1: the server answers with exactly one profile; we use no MKI.
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen.dtlsId()}, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            Vector<?> sigAlgs = TlsUtils.isSignatureAlgorithmsExtensionAllowed(context.getServerVersion())
                ? TlsUtils.getDefaultSupportedSignatureAlgorithms(context) : null;
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                sigAlgs, null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            events.verifyPeer(clientCertificate);
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return cert.isEcdsa() ? signer(context, crypto, cert, context.getSecurityParametersHandshake().getClientSigAlgs()) : null;
        }

        @Override
        protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
            return cert.isEcdsa() ? null : signer(context, crypto, cert, context.getSecurityParametersHandshake().getClientSigAlgs());
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            events.alertReceived(alertLevel, alertDescription);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            events.handshakeComplete(export(context, chosen));
        }
    }

    /** The active side (a=setup:active). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class Client extends DefaultTlsClient {
        private final BcTlsCrypto crypto;
        private final DtlsCertificate cert;
        private final List<SrtpProfile> offered;
        private final int timeoutMillis;
        private final Events events;
        private SrtpProfile chosen;

        Client(BcTlsCrypto crypto, DtlsCertificate cert, List<SrtpProfile> offered, int timeoutMillis, Events events) {
            super(crypto);
            this.crypto = crypto;
            this.cert = cert;
            this.offered = offered;
            this.timeoutMillis = timeoutMillis;
            this.events = events;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return VERSIONS;
        }

        /** The server's key type is unknown until its Certificate: offer suites for both. */
        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(crypto, cert.isEcdsa()
                ? concat(ECDSA_SUITES, RSA_SUITES) : concat(RSA_SUITES, ECDSA_SUITES));
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        public boolean shouldCheckSigAlgOfPeerCerts() {
            return false;
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(ids(offered), TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData srtp = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (srtp == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not select an SRTP profile");
            }
            // RFC 5764 §4.1.1: exactly one profile, one we offered; the server's choice is honoured.
            int[] ids = srtp.getProtectionProfiles();
            SrtpProfile p = ids.length == 1 ? SrtpProfile.fromDtlsId(ids[0]) : null;
            if (p == null || !offered.contains(p)) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server selected an SRTP profile we did not offer");
            }
            chosen = p;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    events.verifyPeer(serverCertificate.getCertificate());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return signer(context, crypto, cert, request.getSupportedSignatureAlgorithms());
                }
            };
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            events.alertReceived(alertLevel, alertDescription);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            events.handshakeComplete(export(context, chosen));
        }
    }
}
