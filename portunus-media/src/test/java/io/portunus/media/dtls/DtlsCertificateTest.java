package io.portunus.media.dtls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DtlsCertificateTest {

    private static final String FINGERPRINT = "^([0-9A-F]{2}:){31}[0-9A-F]{2}$";

    @TempDir
    Path dir;

    private static X509Certificate x509(DtlsCertificate c) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(c.encoded()));
    }

    @Test
    void generatedEcdsaCertificate() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        assertThat(c.fingerprintSha256()).matches(FINGERPRINT);
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(c.encoded()));
        assertThat(c.fingerprintSha256()).isEqualTo(expected);
        assertThat(c.fingerprint("sha-1")).matches("^([0-9A-F]{2}:){19}[0-9A-F]{2}$");
        assertThat(c.isEcdsa()).isTrue();
        X509Certificate x = x509(c);
        assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=Portunus");
        assertThat(x.getPublicKey().getAlgorithm()).isEqualTo("EC");
        Instant now = Instant.now();
        assertThat(x.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(29)));
        assertThat(x.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(364)), now.plus(Duration.ofDays(366)));
        x.verify(x.getPublicKey()); // self-signed
        assertThat(DtlsCertificate.generate().fingerprintSha256()).isNotEqualTo(c.fingerprintSha256());
    }

    @Test
    void generatedRsaCertificate() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate(true);
        assertThat(c.isEcdsa()).isFalse();
        assertThat(((RSAPublicKey) x509(c).getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        // An RSA server and an ECDSA client still agree.
        try (DtlsPair pair = new DtlsPair(DtlsCertificate.generate(), c, DtlsSession.Options.defaults(),
            DtlsSession.Options.defaults())) {
            pair.start();
            assertThat(pair.serverEvents.awaitKeys()).isEqualTo(pair.clientEvents.awaitKeys().mirrored());
        }
    }

    @Test
    void unknownHashIsRefused() {
        assertThatThrownBy(() -> DtlsCertificate.fingerprint(new byte[1], "sha-999"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean haveOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String opensslFingerprint(Path cert) throws Exception {
        String out = run(dir, "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert.toString());
        return out.substring(out.indexOf('=') + 1).trim();
    }

    @Test
    void loadsAnOpensslEcCertificateAndKey() throws Exception {
        assumeTrue(haveOpenssl(), "openssl not installed");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=janus");
        DtlsCertificate c = DtlsCertificate.load(dir.resolve("cert.pem"), dir.resolve("key.pem"), null);
        assertThat(c.isEcdsa()).isTrue();
        assertThat(c.fingerprintSha256()).matches(FINGERPRINT).isEqualTo(opensslFingerprint(dir.resolve("cert.pem")));
        // And it works in a handshake, as the server.
        try (DtlsPair pair = new DtlsPair(DtlsCertificate.generate(), c, DtlsSession.Options.defaults(),
            DtlsSession.Options.defaults())) {
            pair.start();
            assertThat(pair.serverEvents.awaitKeys()).isEqualTo(pair.clientEvents.awaitKeys().mirrored());
        }
    }

    @Test
    void loadsEncryptedKeysAndKeyInTheCertificateFile() throws Exception {
        assumeTrue(haveOpenssl(), "openssl not installed");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-passout", "pass:s3cret", "-keyout", "enc.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=janus");
        DtlsCertificate c = DtlsCertificate.load(dir.resolve("cert.pem"), dir.resolve("enc.pem"), "s3cret");
        assertThat(c.fingerprintSha256()).isEqualTo(opensslFingerprint(dir.resolve("cert.pem")));
        assertThatThrownBy(() -> DtlsCertificate.load(dir.resolve("cert.pem"), dir.resolve("enc.pem"), "wrong"))
            .isInstanceOf(IOException.class);

        // Legacy "EC PRIVATE KEY" (with its "EC PARAMETERS" block) appended to the certificate.
        run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", "legacy.pem");
        run(dir, "openssl", "req", "-x509", "-new", "-key", "legacy.pem", "-out", "c2.pem", "-days", "30", "-subj", "/CN=j");
        Path both = dir.resolve("both.pem");
        Files.write(both, List.of(Files.readString(dir.resolve("c2.pem")), Files.readString(dir.resolve("legacy.pem"))));
        DtlsCertificate c2 = DtlsCertificate.load(both, null, "");
        assertThat(c2.fingerprintSha256()).isEqualTo(opensslFingerprint(dir.resolve("c2.pem")));

        assertThatThrownBy(() -> DtlsCertificate.load(dir.resolve("legacy.pem"), dir.resolve("legacy.pem"), null))
            .isInstanceOf(IOException.class).hasMessageContaining("No certificate");
    }

    @Test
    void rolesFollowSdpSetup() {
        assertThat(DtlsRole.forRemoteSetup("actpass")).isEqualTo(DtlsRole.CLIENT);
        assertThat(DtlsRole.forRemoteSetup("passive")).isEqualTo(DtlsRole.CLIENT);
        assertThat(DtlsRole.forRemoteSetup("active")).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsRole.CLIENT.janusName()).isEqualTo("active");
        assertThat(DtlsState.TRYING.janusName()).isEqualTo("trying");
    }
}
