package io.portunus.media.srtp;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

/**
 * SRTP and SRTCP (RFC 3711, AES-GCM per RFC 7714) for one PeerConnection: every SSRC of a
 * BUNDLEd transport shares the master keys DTLS exported, and each SSRC and direction gets its
 * own cryptographic context (RFC 3711 §3.2.3) with its own rollover counter and replay list.
 *
 * <p>Built on jitsi-srtp. Contexts are derived lazily on the first packet of an SSRC. An
 * incoming packet's context is kept only once a packet of that SSRC authenticated, so forged
 * packets with random SSRCs cannot grow the tables; at most {@value #MAX_STREAMS} SSRCs per
 * direction and kind are kept.
 *
 * <p>Thread safety: every method may be called from any thread; jitsi-srtp synchronises per
 * context. Typically the I/O thread unprotects and plugin threads protect.
 *
 * <p>Nothing here throws on malformed input: unprotect returns -1, protect returns
 * {@code null} / -1.
 */
public final class SrtpSession implements AutoCloseable {

    /** Limit of SSRC contexts per direction and per RTP/RTCP, against SSRC floods. */
    public static final int MAX_STREAMS = 1024;

    static {
        Aes.setFactoryClassName(AesCiphers.factoryClassName());
    }

    /** jitsi-srtp logs replays at ERROR on the sender side only; keep it quiet unless asked. */
    private static final Logger LOG = new LoggerImpl(SrtpSession.class.getName(), Level.WARNING);

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    /** SRTCP adds the E flag + 31-bit index word before the tag (RFC 3711 §3.4). */
    private static final int SRTCP_INDEX = 4;

    private final SrtpProfile profile;
    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    private final Map<Integer, SrtpCryptoContext> rtpOut = new ConcurrentHashMap<>();
    private final Map<Integer, SrtpCryptoContext> rtpIn = new ConcurrentHashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcpOut = new ConcurrentHashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcpIn = new ConcurrentHashMap<>();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param keys the keys DTLS exported for this PeerConnection ({@code local*} protect our
     *             packets, {@code remote*} check the peer's)
     */
    public SrtpSession(SrtpKeys keys) {
        this.profile = keys.profile();
        SrtpPolicy srtp = policy(profile, profile.rtpTagLength());
        SrtpPolicy srtcp = policy(profile, profile.rtcpTagLength());
        this.sender = new SrtpContextFactory(true, keys.localKey().clone(), keys.localSalt().clone(), srtp, srtcp, LOG);
        this.receiver = new SrtpContextFactory(false, keys.remoteKey().clone(), keys.remoteSalt().clone(), srtp, srtcp, LOG);
    }

    /** jitsi-srtp policy for a profile; the tag length differs between SRTP and SRTCP for _32. */
    private static SrtpPolicy policy(SrtpProfile p, int tagLength) {
        SrtpPolicy policy = p.isAead()
            // RFC 7714 §12: the GCM tag is the authentication; there is no separate HMAC key.
            ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, p.keyLength(), SrtpPolicy.NULL_AUTHENTICATION, 0,
                tagLength, p.saltLength())
            // RFC 3711 §4.2.1 / §8.2: HMAC-SHA1 with a 160-bit session auth key, truncated tag.
            : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, p.keyLength(), SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                tagLength, p.saltLength());
        // A NACKed packet is sent again with its original sequence number (no RTX): the sender
        // must be allowed to protect the same index twice. Receivers keep the replay list
        // (RFC 3711 §3.3.2).
        policy.setSendReplayEnabled(false);
        policy.setReceiveReplayEnabled(true);
        return policy;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Bytes {@link #protectRtp} adds to a packet. */
    public int rtpOverhead() {
        return profile.rtpTagLength();
    }

    /** Bytes {@link #protectRtcp} adds to a packet. */
    public int rtcpOverhead() {
        return SRTCP_INDEX + profile.rtcpTagLength();
    }

    // ---- incoming ----

    /**
     * Authenticates, replay-checks and decrypts an SRTP packet in place (RFC 3711 §3.3).
     *
     * @return the plaintext RTP length at {@code buf[off..]}, or -1 if the packet is malformed,
     *         fails authentication or is a replay
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        if (closed || !validRange(buf, off, len)) {
            return fail(invalid);
        }
        int header = rtpHeaderLength(buf, off, len);
        if (header < 0 || header + profile.rtpTagLength() > len) {
            return fail(invalid);
        }
        int ssrc = readInt(buf, off + 8);
        try {
            SrtpCryptoContext ctx = rtpIn.get(ssrc);
            boolean fresh = ctx == null;
            if (fresh) {
                if (rtpIn.size() >= MAX_STREAMS) {
                    return fail(invalid);
                }
                ctx = receiver.deriveContext(ssrc, 0);
            }
            PacketBuffer pkt = new PacketBuffer(buf, off, len);
            SrtpErrorStatus status = ctx.reverseTransformPacket(pkt, false);
            if (status != SrtpErrorStatus.OK) {
                return fail(status);
            }
            if (fresh) {
                rtpIn.putIfAbsent(ssrc, ctx);
            }
            return pkt.getLength();
        } catch (GeneralSecurityException | RuntimeException e) {
            return fail(authFailures);
        }
    }

    /**
     * Authenticates, replay-checks and decrypts an SRTCP packet in place (RFC 3711 §3.4).
     *
     * @return the plaintext RTCP length at {@code buf[off..]} (index word and tag removed), or -1
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (closed || !validRange(buf, off, len)
            || len < RTCP_HEADER + SRTCP_INDEX + profile.rtcpTagLength() || (buf[off] & 0xC0) != 0x80) {
            return fail(invalid);
        }
        int ssrc = readInt(buf, off + 4);
        try {
            SrtcpCryptoContext ctx = rtcpIn.get(ssrc);
            boolean fresh = ctx == null;
            if (fresh) {
                if (rtcpIn.size() >= MAX_STREAMS) {
                    return fail(invalid);
                }
                ctx = receiver.deriveControlContext(ssrc);
            }
            PacketBuffer pkt = new PacketBuffer(buf, off, len);
            SrtpErrorStatus status = ctx.reverseTransformPacket(pkt);
            if (status != SrtpErrorStatus.OK) {
                return fail(status);
            }
            if (fresh) {
                rtcpIn.putIfAbsent(ssrc, ctx);
            }
            return pkt.getLength();
        } catch (GeneralSecurityException | RuntimeException e) {
            return fail(authFailures);
        }
    }

    // ---- outgoing ----

    /**
     * Protects an RTP packet into a new array ({@code len + rtpOverhead()} bytes); the input is
     * not modified.
     *
     * @return the SRTP packet, or {@code null} if {@code buf} does not hold an RTP packet
     */
    public byte[] protectRtp(byte[] buf, int off, int len) {
        if (!validRange(buf, off, len)) {
            return null;
        }
        byte[] out = new byte[len + rtpOverhead()];
        int n = protectRtpInto(buf, off, len, out);
        return n < 0 ? null : n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Protects an RTP packet into {@code out} from its start, which needs {@code len +
     * rtpOverhead()} bytes; the input is not modified. For a sender that reuses one array for
     * every packet instead of a new one each.
     *
     * @return the SRTP length at {@code out[0..]}, or -1 (malformed packet, no room)
     */
    public int protectRtpInto(byte[] buf, int off, int len, byte[] out) {
        if (!validRange(buf, off, len) || len + rtpOverhead() > out.length) {
            return -1;
        }
        System.arraycopy(buf, off, out, 0, len);
        return protectRtpInPlace(out, 0, len);
    }

    /**
     * Protects an RTP packet in place. {@code buf} must have {@link #rtpOverhead()} spare bytes
     * after {@code off + len} for the tag.
     *
     * @return the SRTP length at {@code buf[off..]}, or -1 (malformed packet, no room)
     */
    public int protectRtpInPlace(byte[] buf, int off, int len) {
        if (closed || !validRange(buf, off, len) || off + len + rtpOverhead() > buf.length) {
            return -1;
        }
        if (rtpHeaderLength(buf, off, len) < 0) {
            return -1;
        }
        int ssrc = readInt(buf, off + 8);
        try {
            SrtpCryptoContext ctx = outgoing(rtpOut, ssrc, false);
            if (ctx == null) {
                return -1;
            }
            PacketBuffer pkt = new PacketBuffer(buf, off, len);
            return ctx.transformPacket(pkt) == SrtpErrorStatus.OK ? pkt.getLength() : -1;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Protects an RTCP (compound) packet into a new array ({@code len + rtcpOverhead()} bytes).
     *
     * @return the SRTCP packet, or {@code null} if {@code buf} does not hold an RTCP packet
     */
    public byte[] protectRtcp(byte[] buf, int off, int len) {
        if (!validRange(buf, off, len)) {
            return null;
        }
        byte[] out = Arrays.copyOfRange(buf, off, off + len + rtcpOverhead());
        int n = protectRtcpInPlace(out, 0, len);
        return n < 0 ? null : n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Protects an RTCP packet in place; {@code buf} needs {@link #rtcpOverhead()} spare bytes.
     *
     * @return the SRTCP length at {@code buf[off..]}, or -1
     */
    public int protectRtcpInPlace(byte[] buf, int off, int len) {
        if (closed || !validRange(buf, off, len) || off + len + rtcpOverhead() > buf.length
            || len < RTCP_HEADER || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int ssrc = readInt(buf, off + 4);
        try {
            SrtcpCryptoContext ctx = outgoing(rtcpOut, ssrc, true);
            if (ctx == null) {
                return -1;
            }
            PacketBuffer pkt = new PacketBuffer(buf, off, len);
            return ctx.transformPacket(pkt) == SrtpErrorStatus.OK ? pkt.getLength() : -1;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    @SuppressWarnings("unchecked")
    private <C> C outgoing(Map<Integer, C> map, int ssrc, boolean control) throws GeneralSecurityException {
        C ctx = map.get(ssrc);
        if (ctx != null) {
            return ctx;
        }
        if (map.size() >= MAX_STREAMS) {
            return null;
        }
        C created = (C) (control ? sender.deriveControlContext(ssrc) : sender.deriveContext(ssrc, 0));
        C raced = map.putIfAbsent(ssrc, created);
        return raced != null ? raced : created;
    }

    // ---- counters ----

    /** Incoming packets rejected: authentication failures, replays and malformed packets. */
    public long failures() {
        return authFailures.get() + replays.get() + invalid.get();
    }

    /** Incoming packets whose tag did not verify. */
    public long authFailures() {
        return authFailures.get();
    }

    /** Incoming packets rejected as replays or as too old for the replay window (RFC 3711 §3.3.2). */
    public long replays() {
        return replays.get();
    }

    /** Incoming packets too short or not RTP/RTCP. */
    public long malformed() {
        return invalid.get();
    }

    /** SSRCs with an incoming RTP or RTCP context (each counted per kind). */
    int incomingStreams() {
        return rtpIn.size() + rtcpIn.size();
    }

    /** Forgets the contexts; later calls fail. */
    @Override
    public void close() {
        closed = true;
        rtpOut.clear();
        rtpIn.clear();
        rtcpOut.clear();
        rtcpIn.clear();
        sender.close();
        receiver.close();
    }

    // ---- helpers ----

    private int fail(SrtpErrorStatus status) {
        return switch (status) {
            case REPLAY_FAIL, REPLAY_OLD -> fail(replays);
            case INVALID_PACKET -> fail(invalid);
            default -> fail(authFailures);
        };
    }

    private static int fail(AtomicLong counter) {
        counter.incrementAndGet();
        return -1;
    }

    private static boolean validRange(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length && len <= buf.length - off;
    }

    /**
     * RTP header length including CSRCs and the header extension (RFC 3550 §5.1, §5.3.1), or
     * -1 if the packet is not version 2 or its header runs past {@code len}. jitsi-srtp trusts
     * these fields, so they are checked here before it reads them.
     */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < RTP_HEADER || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = RTP_HEADER + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            int words = ((buf[off + header + 2] & 0xFF) << 8) | (buf[off + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header <= len ? header : -1;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
