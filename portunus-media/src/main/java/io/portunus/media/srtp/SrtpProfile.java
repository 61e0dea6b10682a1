package io.portunus.media.srtp;

import java.util.Locale;

/**
 * The DTLS-SRTP protection profiles Portunus negotiates in the DTLS {@code use_srtp} extension
 * (RFC 5764 §4.1.2, RFC 7714 §14.2), with the key material sizes each one needs.
 *
 * <p>Lengths are in bytes. For the AES-CM profiles the SRTCP tag is 80 bits even for
 * {@code _32}: RFC 5764 §4.1.2 says the SRTCP authentication tag length of
 * {@code SRTP_AES128_CM_HMAC_SHA1_32} is 80 bits; only SRTP uses the short tag. The AEAD
 * profiles use a 16-byte GCM tag and a 12-byte salt (RFC 7714 §12).
 */
public enum SrtpProfile {
    /** RFC 5764 §4.1.2 SRTP_AES128_CM_HMAC_SHA1_80 (0x0001). */
    AES128_CM_SHA1_80(0x0001, "SRTP_AES128_CM_SHA1_80", 16, 14, 10, 10),
    /** RFC 5764 §4.1.2 SRTP_AES128_CM_HMAC_SHA1_32 (0x0002); SRTCP still uses an 80-bit tag. */
    AES128_CM_SHA1_32(0x0002, "SRTP_AES128_CM_SHA1_32", 16, 14, 4, 10),
    /** RFC 7714 §14.2 SRTP_AEAD_AES_128_GCM (0x0007). */
    AEAD_AES_128_GCM(0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16),
    /** RFC 7714 §14.2 SRTP_AEAD_AES_256_GCM (0x0008). */
    AEAD_AES_256_GCM(0x0008, "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16);

    private final int dtlsId;
    private final String janusName;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int dtlsId, String janusName, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength) {
        this.dtlsId = dtlsId;
        this.janusName = janusName;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** The SRTPProtectionProfile value carried in {@code use_srtp}. */
    public int dtlsId() {
        return dtlsId;
    }

    /** The name Janus shows in handle_info {@code srtp-profile}. */
    public String janusName() {
        return janusName;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes appended to an SRTP packet (auth tag, or GCM tag). */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** Bytes of tag appended to an SRTCP packet (the 4-byte E+index word is extra). */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** True for the RFC 7714 AES-GCM profiles. */
    public boolean isAead() {
        return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
    }

    /** Exporter output length per RFC 5764 §4.2: two keys and two salts. */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this {@code use_srtp} value, or {@code null} if Portunus does not support it. */
    public static SrtpProfile fromDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        return null;
    }

    /**
     * Parses a configuration name: the Janus name ({@code SRTP_AEAD_AES_128_GCM}), the enum name
     * ({@code AEAD_AES_128_GCM}) or the RFC name ({@code SRTP_AES128_CM_HMAC_SHA1_80}), any case.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static SrtpProfile fromName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("HMAC_", "");
        for (SrtpProfile p : values()) {
            if (p.janusName.equals(n) || p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown SRTP profile '" + name + "'");
    }
}
