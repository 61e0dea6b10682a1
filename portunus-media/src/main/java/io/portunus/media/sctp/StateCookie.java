package io.portunus.media.sctp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import static io.portunus.media.sctp.SctpPacket.i32;
import static io.portunus.media.sctp.SctpPacket.put16;
import static io.portunus.media.sctp.SctpPacket.put32;
import static io.portunus.media.sctp.SctpPacket.u16;
import static io.portunus.media.sctp.SctpPacket.u32;

/**
 * The State Cookie of INIT-ACK (RFC 4960 §5.1.3): what we need to set up the association from
 * the peer's INIT, sent to the peer and back in COOKIE-ECHO, signed with HMAC-SHA-256 under a
 * key of this association so a forged or altered cookie is refused.
 */
final class StateCookie {
    static final int LIFETIME_MILLIS = 60_000;
    private static final int BODY = 4 + 4 + 4 + 4 + 2 + 2 + 8 + 1;
    private static final int MAC = 16;
    static final int SIZE = BODY + MAC;

    record Content(long peerTag, long localTag, long peerInitialTsn, long peerWindow, int peerOutStreams,
                   int peerInStreams, boolean peerForwardTsn) {
    }

    private final byte[] key = new byte[32];

    StateCookie(RandomGenerator random) {
        random.nextBytes(key);
    }

    byte[] make(Content c, long now) {
        byte[] b = new byte[SIZE];
        put32(b, 0, c.peerTag());
        put32(b, 4, c.localTag());
        put32(b, 8, c.peerInitialTsn());
        put32(b, 12, c.peerWindow());
        put16(b, 16, c.peerOutStreams());
        put16(b, 18, c.peerInStreams());
        put32(b, 20, now >>> 32);
        put32(b, 24, now);
        b[28] = (byte) (c.peerForwardTsn() ? 1 : 0);
        System.arraycopy(mac(b), 0, b, BODY, MAC);
        return b;
    }

    /** The cookie's content if it is ours, unaltered and not older than its lifetime; else null. */
    Content open(byte[] b, int off, int len, long now) {
        if (len != SIZE) {
            return null;
        }
        byte[] cookie = Arrays.copyOfRange(b, off, off + len);
        byte[] expected = mac(cookie);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(cookie, BODY, SIZE))) {
            return null;
        }
        long made = (long) i32(cookie, 20) << 32 | u32(cookie, 24);
        if (now - made > LIFETIME_MILLIS || made - now > LIFETIME_MILLIS) {
            return null;
        }
        return new Content(u32(cookie, 0), u32(cookie, 4), u32(cookie, 8), u32(cookie, 12), u16(cookie, 16),
            u16(cookie, 18), cookie[28] == 1);
    }

    private byte[] mac(byte[] cookie) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(cookie, 0, BODY);
            return Arrays.copyOf(mac.doFinal(), MAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
