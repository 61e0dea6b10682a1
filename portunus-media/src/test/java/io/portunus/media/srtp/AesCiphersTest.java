package io.portunus.media.srtp;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AesCiphersTest {

    private final Random random = new Random(11);

    @Test
    void srtpUsesOpensslWhenItsLibraryLoaded() {
        assumeTrue(JitsiOpenSslProvider.isLoaded(), "jitsi-srtp's native library is not loadable here");
        new SrtpSession(SrtpKeys.fromKeyingMaterial(SrtpProfile.AES128_CM_SHA1_80,
                new byte[SrtpProfile.AES128_CM_SHA1_80.keyingMaterialLength()], true)).close();
        assertThat(Aes.createCipher("AES/CTR/NoPadding").getProvider()).isInstanceOf(JitsiOpenSslProvider.class);
        assertThat(Aes.createCipher("AES/GCM/NoPadding").getProvider()).isInstanceOf(JitsiOpenSslProvider.class);
    }

    /** OpenSSL's counter mode in place gives the JDK's keystream: what the other end decrypts with. */
    @Test
    void opensslCounterModeInPlaceMatchesTheJdk() throws Exception {
        assumeTrue(JitsiOpenSslProvider.isLoaded(), "jitsi-srtp's native library is not loadable here");
        Cipher openssl = Cipher.getInstance("AES/CTR/NoPadding", new JitsiOpenSslProvider());
        Cipher jdk = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        for (int keyBytes : new int[] {16, 32}) {
            for (int length : new int[] {1, 15, 16, 17, 160, 1188}) {
                SecretKeySpec key = new SecretKeySpec(bytes(keyBytes), "AES");
                byte[] iv = bytes(16);
                byte[] plain = bytes(length + 12);

                jdk.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
                byte[] expected = jdk.doFinal(plain, 12, length);

                byte[] inPlace = plain.clone();
                openssl.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
                openssl.doFinal(inPlace, 12, length, inPlace, 12);
                assertThat(Arrays.copyOfRange(inPlace, 12, 12 + length)).as("%d-bit key, %d bytes", keyBytes * 8, length)
                        .isEqualTo(expected);
                assertThat(Arrays.copyOf(inPlace, 12)).isEqualTo(Arrays.copyOf(plain, 12));
            }
        }
    }

    /** A GCM packet OpenSSL sealed, the JDK opens (and the tag covers the header as AAD). */
    @Test
    void opensslGcmIsReadByTheJdk() throws Exception {
        assumeTrue(JitsiOpenSslProvider.isLoaded(), "jitsi-srtp's native library is not loadable here");
        Cipher openssl = Cipher.getInstance("AES/GCM/NoPadding", new JitsiOpenSslProvider());
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        for (int length : new int[] {1, 16, 1188}) {
            SecretKeySpec key = new SecretKeySpec(bytes(16), "AES");
            byte[] iv = bytes(12);
            byte[] header = bytes(12);
            byte[] plain = bytes(length);
            openssl.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            openssl.updateAAD(header);
            byte[] sealed = openssl.doFinal(plain);
            jdk.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
            jdk.updateAAD(header);
            assertThat(jdk.doFinal(sealed)).isEqualTo(plain);
        }
    }

    @Test
    void thePropertyChoosesTheImplementation() {
        String before = System.getProperty(AesCiphers.PROPERTY);
        try {
            System.setProperty(AesCiphers.PROPERTY, "sunjce");
            assertThat(AesCiphers.factoryClassName()).isEqualTo(AesCiphers.JDK);
            System.setProperty(AesCiphers.PROPERTY, "openssl");
            assertThat(AesCiphers.factoryClassName()).isEqualTo(AesCiphers.OPENSSL);
        } finally {
            if (before == null) {
                System.clearProperty(AesCiphers.PROPERTY);
            } else {
                System.setProperty(AesCiphers.PROPERTY, before);
            }
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
