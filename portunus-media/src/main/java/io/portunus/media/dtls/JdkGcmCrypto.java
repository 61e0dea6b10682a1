package io.portunus.media.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * BC's TLS crypto with the records of AES-GCM suites sealed by the JDK's AES/GCM, which runs
 * on the CPU's AES and carry-less multiply instructions; BC's own GCM is plain Java. The
 * handshake is unchanged. After the handshake DTLS carries only data channels (SCTP), and
 * there the record cipher was most of the CPU: a JFR profile of a data-channel echo (issue
 * #17, docs/benchmarks.md) had BC's AESEngine and GCMBlockCipher in most samples on both the
 * server and the load tool.
 */
final class JdkGcmCrypto extends BcTlsCrypto {
    JdkGcmCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    protected TlsAEADCipher createCipher_AES_GCM(TlsCryptoParameters params, int keySize, int macSize)
            throws IOException {
        return new TlsAEADCipher(params, new JdkGcm(true), new JdkGcm(false), keySize, macSize,
                TlsAEADCipher.AEAD_GCM);
    }

    /** One direction of one epoch: a key, then a nonce per record. */
    private static final class JdkGcm implements TlsAEADCipherImpl {
        private final boolean encrypt;
        private final Cipher cipher;
        private SecretKeySpec key;
        private int macSize;

        JdkGcm(boolean encrypt) throws IOException {
            this.encrypt = encrypt;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IOException("the JDK has no AES/GCM", e);
            }
        }

        @Override
        public void setKey(byte[] k, int off, int len) {
            key = new SecretKeySpec(k, off, len, "AES");
        }

        @Override
        public void init(byte[] nonce, int macSize) throws IOException {
            this.macSize = macSize;
            try {
                cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(macSize * 8, nonce));
            } catch (GeneralSecurityException e) {
                throw new TlsFatalAlert(AlertDescription.internal_error, e);
            }
        }

        @Override
        public int getOutputSize(int inputLength) {
            return encrypt ? inputLength + macSize : Math.max(0, inputLength - macSize);
        }

        @Override
        public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
                           int outputOffset) throws IOException {
            try {
                if (additionalData != null && additionalData.length > 0) {
                    cipher.updateAAD(additionalData);
                }
                return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
            } catch (GeneralSecurityException e) {
                // A record that does not authenticate: BC drops it (DTLS), as with its own GCM.
                throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
            }
        }
    }
}
