package io.portunus.media.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one PeerConnection, as exported from DTLS (RFC 5764 §4.2),
 * seen from our side: {@code local*} protect what we send, {@code remote*} unprotect what we
 * receive. The two ends of one DTLS association hold mirrored instances.
 *
 * <p>The arrays are not copied (the record is a carrier between DTLS and {@link SrtpSession});
 * do not mutate them.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        check(localKey, profile.keyLength(), "localKey");
        check(remoteKey, profile.keyLength(), "remoteKey");
        check(localSalt, profile.saltLength(), "localSalt");
        check(remoteSalt, profile.saltLength(), "remoteSalt");
    }

    private static void check(byte[] b, int len, String what) {
        Objects.requireNonNull(b, what);
        if (b.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes, not " + b.length);
        }
    }

    /**
     * Splits DTLS exporter output ({@code EXTRACTOR-dtls_srtp}) in the order of RFC 5764 §4.2:
     * client key, server key, client salt, server salt.
     *
     * @param weAreClient true if we were the DTLS client: the client's half is then ours
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, boolean weAreClient) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material must be " + profile.keyingMaterialLength() + " bytes");
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return weAreClient
            ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
            : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    /** The keys as the other end sees them (local and remote swapped); handy for tests and loopback. */
    public SrtpKeys mirrored() {
        return new SrtpKeys(profile, remoteKey, remoteSalt, localKey, localSalt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys k && profile == k.profile
            && Arrays.equals(localKey, k.localKey) && Arrays.equals(localSalt, k.localSalt)
            && Arrays.equals(remoteKey, k.remoteKey) && Arrays.equals(remoteSalt, k.remoteSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(localKey), Arrays.hashCode(localSalt),
            Arrays.hashCode(remoteKey), Arrays.hashCode(remoteSalt));
    }

    /** Never prints key material: this ends up in logs. */
    @Override
    public String toString() {
        return "SrtpKeys[" + profile.janusName() + "]";
    }
}
