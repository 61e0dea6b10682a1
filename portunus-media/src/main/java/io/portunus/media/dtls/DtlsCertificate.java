package io.portunus.media.dtls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The server's DTLS certificate and private key, one per server start (as Janus): either
 * self-signed at start-up or loaded from {@code certificates.cert_pem}/{@code cert_key}.
 *
 * <p>WebRTC peers authenticate it only through the SDP {@code a=fingerprint} (RFC 5763 §5,
 * RFC 8122 §5), so a self-signed certificate is the norm; {@link #fingerprintSha256()} is what
 * goes into our SDP.
 */
public final class DtlsCertificate {

    /** RSA keys Janus generates with {@code rsa_private_key=true}. */
    private static final int RSA_BITS = 2048;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final List<byte[]> chain;            // DER, leaf first
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprintSha256;

    private DtlsCertificate(List<byte[]> chain, AsymmetricKeyParameter privateKey) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        if (!(privateKey instanceof ECPrivateKeyParameters) && !(privateKey instanceof RSAKeyParameters)) {
            throw new IllegalArgumentException("only ECDSA and RSA keys are supported");
        }
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.fingerprintSha256 = fingerprint(chain.get(0), "sha-256");
    }

    /** A self-signed ECDSA P-256 certificate (Janus's default). */
    public static DtlsCertificate generate() {
        return generate(false);
    }

    /**
     * A self-signed certificate, CN=Portunus, valid from 30 days ago (clock skew on the peer)
     * to one year ahead.
     *
     * @param rsa true for RSA 2048 (Janus {@code rsa_private_key=true}), false for ECDSA P-256
     */
    public static DtlsCertificate generate(boolean rsa) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
            if (rsa) {
                kpg.initialize(RSA_BITS, random);
            } else {
                kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=Portunus");
            Instant now = Instant.now();
            // Positive 63-bit serial: RFC 5280 §4.1.2.2 wants a positive, unique-per-issuer number.
            BigInteger serial = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(Duration.ofDays(365))), name, kp.getPublic());
            X509CertificateHolder cert = builder.build(
                new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(kp.getPrivate()));
            return new DtlsCertificate(List.of(cert.getEncoded()), PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Could not generate the DTLS certificate", e);
        }
    }

    /**
     * Loads Janus's {@code certificates.cert_pem}, {@code cert_key} and {@code cert_pwd}. The
     * certificate file may hold a chain (leaf first); the key may be PKCS#8 ({@code PRIVATE KEY},
     * {@code ENCRYPTED PRIVATE KEY}) or OpenSSL legacy ({@code EC PRIVATE KEY},
     * {@code RSA PRIVATE KEY}, optionally encrypted), and may sit in the certificate file.
     *
     * @param password the key's password, or {@code null}/empty when it is not encrypted
     * @throws IOException when a file cannot be read or holds no usable certificate or key
     */
    public static DtlsCertificate load(Path certPem, Path keyPem, String password) throws IOException {
        List<byte[]> chain = new ArrayList<>();
        for (Object o : readPem(certPem)) {
            if (o instanceof X509CertificateHolder h) {
                chain.add(h.getEncoded());
            }
        }
        if (chain.isEmpty()) {
            throw new IOException("No certificate in " + certPem);
        }
        PrivateKeyInfo key = null;
        char[] pwd = password == null ? new char[0] : password.toCharArray();
        // The BC provider is used as an object, never registered: the rest of the JVM keeps its providers.
        BouncyCastleProvider bc = new BouncyCastleProvider();
        for (Object o : readPem(keyPem == null ? certPem : keyPem)) {
            try {
                if (o instanceof PEMKeyPair kp) {
                    key = kp.getPrivateKeyInfo();
                } else if (o instanceof PrivateKeyInfo pki) {
                    key = pki;
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    key = enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc).build(pwd));
                } else if (o instanceof PEMEncryptedKeyPair enc) {
                    key = enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bc).build(pwd)).getPrivateKeyInfo();
                } else if (o instanceof ASN1ObjectIdentifier) {
                    continue; // "EC PARAMETERS" block that openssl ecparam -genkey writes before the key
                }
            } catch (OperatorCreationException | PKCSException | IOException e) {
                throw new IOException("Could not decrypt the private key in " + keyPem + " (wrong cert_pwd?)", e);
            }
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            throw new IOException("No private key in " + (keyPem == null ? certPem : keyPem));
        }
        try {
            return new DtlsCertificate(chain, PrivateKeyFactory.createKey(key));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static List<Object> readPem(Path file) throws IOException {
        List<Object> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                out.add(o);
            }
        }
        return out;
    }

    /** SHA-256 of the DER certificate, {@code "AB:CD:..."}, as in SDP {@code a=fingerprint:sha-256}. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    /** The fingerprint with another SDP hash function name (RFC 8122 §5: "sha-1", "sha-384", ...). */
    public String fingerprint(String hashFunction) {
        return fingerprint(chain.get(0), hashFunction);
    }

    /** True for an ECDSA key, false for RSA. */
    public boolean isEcdsa() {
        return privateKey instanceof ECPrivateKeyParameters;
    }

    /** DER of the leaf certificate. */
    public byte[] encoded() {
        return chain.get(0).clone();
    }

    /**
     * Hashes a DER certificate the way SDP fingerprints are written (RFC 8122 §5: uppercase hex
     * pairs joined by colons).
     *
     * @param hashFunction an SDP hash name ("sha-1", "sha-224", "sha-256", "sha-384", "sha-512", "md5")
     * @throws IllegalArgumentException for an unknown hash function
     */
    public static String fingerprint(byte[] der, String hashFunction) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(hashFunction.trim().toUpperCase(Locale.ROOT)).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("Unknown fingerprint hash '" + hashFunction + "'", e);
        }
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The chain in Bouncy Castle TLS form, for the Certificate handshake message. */
    Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
        TlsCertificate[] certs = new TlsCertificate[chain.size()];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = new BcTlsCertificate(crypto, chain.get(i));
        }
        return new Certificate(certs);
    }
}
