package io.portunus.media.srtp;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * Which AES jitsi-srtp's contexts use, named to it ({@link Aes#setFactoryClassName}) so that it
 * does not benchmark every provider on first use.
 * <p>
 * OpenSSL, through jitsi-srtp's JNI library (which its HMAC uses already), when that library
 * loaded; else the JDK's. The JDK's cipher copies its input whenever input and output are the
 * same array, and SRTP encrypts in place: each packet cost a 1,200-byte copy each way, with a
 * new IV and a copy of the key, 30 % of all the server's allocation in an echo call
 * (docs/benchmarks.md, issue #22). OpenSSL works in place.
 * <p>
 * {@value #PROPERTY}={@code sunjce} (or {@code openssl}) forces one, for A/B runs.
 */
public final class AesCiphers {
    public static final String PROPERTY = "portunus.srtp.aes";
    static final String OPENSSL = Aes.OpenSSLCipherFactory.class.getName();
    static final String JDK = Aes.SunJCECipherFactory.class.getName();

    private AesCiphers() {
    }

    /** The jitsi-srtp cipher factory class to use, from the property and whether OpenSSL loaded. */
    static String factoryClassName() {
        String asked = System.getProperty(PROPERTY, "");
        boolean openssl = asked.equals("openssl") || (asked.isEmpty() && JitsiOpenSslProvider.isLoaded());
        return openssl ? OPENSSL : JDK;
    }
}
