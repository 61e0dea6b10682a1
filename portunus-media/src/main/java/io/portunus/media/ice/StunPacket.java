package io.portunus.media.ice;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A parsed STUN message (RFC 5389/8489) with the attributes ICE needs (RFC 8445 §7.1.1, §16.1),
 * and a {@link Builder} that writes them. It used to sit beside a second, smaller codec; the
 * Admin API uses; this is the fuller codec the ICE agent uses.
 *
 * <p>Parsing never throws: anything that is not a well-formed STUN message gives {@code null}.
 * A parsed message is not yet trusted: callers check {@link #fingerprintValid()} and
 * {@link #integrityValid(byte[])} themselves, because which key applies depends on whether the
 * message is a request we answer (our password) or a response to our request (the peer's).
 */
public final class StunPacket {
    public static final int MAGIC_COOKIE = 0x2112A442;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    /** RFC 5389 §15.5: the CRC-32 is XORed with this so STUN is told apart from other CRCs. */
    static final int FINGERPRINT_XOR = 0x5354554e;

    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required by every Java platform", e);
        }
    });

    private final byte[] raw;
    private final int type;
    private final byte[] transactionId;
    private String username;
    private long priority = -1;
    private boolean useCandidate;
    private Long iceControlling;
    private Long iceControlled;
    private int errorCode = -1;
    private InetSocketAddress xorMapped;
    private InetSocketAddress mapped;
    /** Offsets of the MESSAGE-INTEGRITY / FINGERPRINT attribute headers, -1 if absent. */
    private int integrityAt = -1;
    private int fingerprintAt = -1;

    private StunPacket(byte[] raw) {
        this.raw = raw;
        this.type = u16(raw, 0);
        this.transactionId = Arrays.copyOfRange(raw, 8, 20);
    }

    /** True if the datagram looks like STUN (RFC 5389 §6 header checks; RFC 7983 demux). */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 20 || off + len > buf.length || off + len < 0) {
            return false;
        }
        return (buf[off] & 0xC0) == 0 && u32(buf, off + 4) == MAGIC_COOKIE;
    }

    /**
     * Parses one datagram. Null when it is not a well-formed STUN message: bad header, length
     * not matching the datagram, attributes overrunning, or anything but FINGERPRINT after
     * MESSAGE-INTEGRITY, or anything after FINGERPRINT (RFC 5389 §15.4, §15.5).
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A 12-byte random transaction id (RFC 5389 §6). */
    public static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    public static StunPacket parse(byte[] buf, int off, int len) {
        try {
            if (!looksLikeStun(buf, off, len)) {
                return null;
            }
            int declared = u16(buf, off + 2);
            if ((declared & 3) != 0 || declared + 20 != len) {
                return null;
            }
            StunPacket p = new StunPacket(Arrays.copyOfRange(buf, off, off + len));
            return p.parseAttributes() ? p : null;
        } catch (RuntimeException e) {
            // Defensive: the checks above should make this unreachable, but a codec facing
            // the Internet must never let a crafted packet escape as an exception.
            return null;
        }
    }

    private boolean parseAttributes() {
        byte[] b = raw;
        int pos = 20;
        while (pos < b.length) {
            if (fingerprintAt >= 0 || pos + 4 > b.length) {
                return false; // nothing may follow FINGERPRINT; a header must fit
            }
            int at = u16(b, pos);
            int len = u16(b, pos + 2);
            int value = pos + 4;
            int next = value + ((len + 3) & ~3);
            if (next > b.length) {
                return false;
            }
            if (at == ATTR_FINGERPRINT) {
                if (len != 4) {
                    return false;
                }
                fingerprintAt = pos;
            } else if (integrityAt >= 0) {
                // RFC 5389 §15.4: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT)
                // are not covered by it and are ignored.
            } else if (!readAttribute(at, value, len)) {
                return false;
            }
            pos = next;
        }
        return true;
    }

    private boolean readAttribute(int at, int value, int len) {
        switch (at) {
            case ATTR_MESSAGE_INTEGRITY -> {
                if (len != 20) {
                    return false;
                }
                integrityAt = value - 4;
            }
            case ATTR_USERNAME -> {
                if (len > 513) {
                    return false; // RFC 5389 §15.3
                }
                username = new String(raw, value, len, StandardCharsets.UTF_8);
            }
            case ATTR_PRIORITY -> {
                if (len != 4) {
                    return false;
                }
                priority = u32(raw, value) & 0xFFFFFFFFL;
            }
            case ATTR_USE_CANDIDATE -> useCandidate = true;
            case ATTR_ICE_CONTROLLING, ATTR_ICE_CONTROLLED -> {
                if (len != 8) {
                    return false;
                }
                long tb = ((long) u32(raw, value) << 32) | (u32(raw, value + 4) & 0xFFFFFFFFL);
                if (at == ATTR_ICE_CONTROLLING) {
                    iceControlling = tb;
                } else {
                    iceControlled = tb;
                }
            }
            case ATTR_ERROR_CODE -> {
                if (len < 4) {
                    return false;
                }
                // RFC 5389 §15.6: class (hundreds) in 3 bits, number (0-99) in 8 bits.
                errorCode = (raw[value + 2] & 0x07) * 100 + (raw[value + 3] & 0xFF);
            }
            case ATTR_XOR_MAPPED_ADDRESS -> xorMapped = address(raw, value, len, true);
            case ATTR_MAPPED_ADDRESS -> mapped = address(raw, value, len, false);
            default -> {
                // Unknown or uninteresting (SOFTWARE, NETWORK-COST, GOOG-*): skipped.
            }
        }
        return true;
    }

    public int type() {
        return type;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    public boolean isRequest() {
        return type == BINDING_REQUEST;
    }

    public boolean isResponse() {
        return type == BINDING_SUCCESS || type == BINDING_ERROR;
    }

    public String username() {
        return username;
    }

    /** PRIORITY (RFC 8445 §7.1.1), or -1 if absent. */
    public long priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    /** ICE-CONTROLLING tie-breaker, or null. */
    public Long iceControlling() {
        return iceControlling;
    }

    /** ICE-CONTROLLED tie-breaker, or null. */
    public Long iceControlled() {
        return iceControlled;
    }

    /** The ERROR-CODE number (e.g. 487), or -1 if absent. */
    public int errorCode() {
        return errorCode;
    }

    /** XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS, else null. */
    public InetSocketAddress mappedAddress() {
        return xorMapped != null ? xorMapped : mapped;
    }

    public boolean hasIntegrity() {
        return integrityAt >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintAt >= 0;
    }

    /** True if FINGERPRINT is present and matches (RFC 5389 §15.5). */
    public boolean fingerprintValid() {
        if (fingerprintAt < 0) {
            return false;
        }
        return u32(raw, fingerprintAt + 4) == fingerprint(raw, fingerprintAt);
    }

    /**
     * True if MESSAGE-INTEGRITY is present and matches HMAC-SHA1 with {@code key} (RFC 5389
     * §15.4): the HMAC covers the message up to the attribute, with the header's length field
     * rewritten as if MESSAGE-INTEGRITY were the last attribute. Compared in constant time.
     */
    public boolean integrityValid(byte[] key) {
        if (integrityAt < 0 || key == null || key.length == 0) {
            return false;
        }
        byte[] expected = hmac(key, raw, integrityAt);
        byte[] actual = Arrays.copyOfRange(raw, integrityAt + 4, integrityAt + 24);
        return MessageDigest.isEqual(expected, actual);
    }

    /** RFC 5389 §15.4 short-term credential key: the password (SASLprep is the identity for ice-chars). */
    public static byte[] shortTermKey(String password) {
        return password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC over {@code msg[0, upTo)} with the length field set to cover upTo + the 24-byte attribute. */
    private static byte[] hmac(byte[] key, byte[] msg, int upTo) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        int adjusted = upTo + 24 - 20;
        byte[] header = Arrays.copyOf(msg, 20);
        header[2] = (byte) (adjusted >>> 8);
        header[3] = (byte) adjusted;
        mac.update(header);
        mac.update(msg, 20, upTo - 20);
        return mac.doFinal();
    }

    /** CRC-32 of {@code msg[0, upTo)} XOR 0x5354554e; the length field already covers FINGERPRINT. */
    private static int fingerprint(byte[] msg, int upTo) {
        CRC32 crc = new CRC32();
        crc.update(msg, 0, upTo);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static InetSocketAddress address(byte[] p, int at, int len, boolean xored) {
        if (len < 8) {
            return null;
        }
        int family = p[at + 1];
        int ipLength = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (ipLength < 0 || len < 4 + ipLength) {
            return null;
        }
        int port = u16(p, at + 2);
        byte[] ip = Arrays.copyOfRange(p, at + 4, at + 4 + ipLength);
        if (xored) {
            port ^= MAGIC_COOKIE >>> 16;
            xorAddress(ip, p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** XOR with the magic cookie and (IPv6) the transaction id found in {@code header} (RFC 5389 §15.2). */
    private static void xorAddress(byte[] ip, byte[] header) {
        for (int i = 0; i < ip.length; i++) {
            ip[i] ^= header[4 + i]; // bytes 4..19 are the cookie then the transaction id
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int u32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** Writes one STUN message; attributes in call order, then MESSAGE-INTEGRITY and FINGERPRINT. */
    public static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private final ByteArrayOutputStream attrs = new ByteArrayOutputStream();

        public Builder(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("transaction id must be 12 bytes");
            }
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        public Builder attribute(int attrType, byte[] value) {
            attrs.write(attrType >>> 8);
            attrs.write(attrType);
            attrs.write(value.length >>> 8);
            attrs.write(value.length);
            attrs.writeBytes(value);
            for (int i = value.length; (i & 3) != 0; i++) {
                attrs.write(0);
            }
            return this;
        }

        public Builder username(String username) {
            return attribute(ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8));
        }

        public Builder priority(long priority) {
            return attribute(ATTR_PRIORITY, int32((int) priority));
        }

        public Builder useCandidate() {
            return attribute(ATTR_USE_CANDIDATE, new byte[0]);
        }

        public Builder iceControlling(long tieBreaker) {
            return attribute(ATTR_ICE_CONTROLLING, int64(tieBreaker));
        }

        public Builder iceControlled(long tieBreaker) {
            return attribute(ATTR_ICE_CONTROLLED, int64(tieBreaker));
        }

        /** ERROR-CODE (RFC 5389 §15.6) with a UTF-8 reason phrase. */
        public Builder errorCode(int code, String reason) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] v = new byte[4 + r.length];
            v[2] = (byte) (code / 100);
            v[3] = (byte) (code % 100);
            System.arraycopy(r, 0, v, 4, r.length);
            return attribute(ATTR_ERROR_CODE, v);
        }

        public Builder xorMappedAddress(InetSocketAddress a) {
            byte[] ip = a.getAddress().getAddress();
            byte[] v = new byte[4 + ip.length];
            v[1] = (byte) (ip.length == 4 ? 1 : 2);
            int port = a.getPort() ^ (MAGIC_COOKIE >>> 16);
            v[2] = (byte) (port >>> 8);
            v[3] = (byte) port;
            byte[] header = header(0);
            for (int i = 0; i < ip.length; i++) {
                v[4 + i] = (byte) (ip[i] ^ header[4 + i]);
            }
            return attribute(ATTR_XOR_MAPPED_ADDRESS, v);
        }

        /**
         * The message bytes. {@code integrityKey} null means no MESSAGE-INTEGRITY (e.g. 400/401
         * answers, RFC 5389 §10.1.2; indications).
         */
        public byte[] build(byte[] integrityKey, boolean fingerprint) {
            byte[] body = attrs.toByteArray();
            int total = 20 + body.length + (integrityKey != null ? 24 : 0) + (fingerprint ? 8 : 0);
            byte[] out = new byte[total];
            System.arraycopy(header(total - 20), 0, out, 0, 20);
            System.arraycopy(body, 0, out, 20, body.length);
            int pos = 20 + body.length;
            if (integrityKey != null) {
                byte[] mac = hmac(integrityKey, out, pos);
                out[pos] = 0x00;
                out[pos + 1] = 0x08;
                out[pos + 3] = 20;
                System.arraycopy(mac, 0, out, pos + 4, 20);
                pos += 24;
            }
            if (fingerprint) {
                int crc = StunPacket.fingerprint(out, pos);
                out[pos] = (byte) 0x80;
                out[pos + 1] = 0x28;
                out[pos + 3] = 4;
                System.arraycopy(int32(crc), 0, out, pos + 4, 4);
            }
            return out;
        }

        private byte[] header(int length) {
            byte[] h = new byte[20];
            h[0] = (byte) (type >>> 8);
            h[1] = (byte) type;
            h[2] = (byte) (length >>> 8);
            h[3] = (byte) length;
            System.arraycopy(int32(MAGIC_COOKIE), 0, h, 4, 4);
            System.arraycopy(transactionId, 0, h, 8, 12);
            return h;
        }

        private static byte[] int32(int v) {
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        private static byte[] int64(long v) {
            byte[] b = new byte[8];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (v >>> (56 - 8 * i));
            }
            return b;
        }
    }
}
