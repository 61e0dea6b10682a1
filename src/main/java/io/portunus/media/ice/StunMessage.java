package io.portunus.media.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * STUN messages (RFC 5389): just what a Binding request and its response need for the Admin
 * API's {@code test_stun}. Pure functions over byte arrays, no sockets. The ICE agent uses the
 * fuller codec {@link StunPacket} (USERNAME, MESSAGE-INTEGRITY, FINGERPRINT, ICE attributes).
 */
public final class StunMessage {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    static final int ATTR_MAPPED_ADDRESS = 0x0001;
    static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StunMessage() {
    }

    /** A 12-byte random transaction id. */
    public static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /** A Binding request with no attributes (RFC 5389 §6). */
    public static byte[] bindingRequest(byte[] transactionId) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        return b.array();
    }

    /** A Binding success response carrying XOR-MAPPED-ADDRESS (IPv4 or IPv6). */
    public static byte[] bindingSuccess(byte[] transactionId, InetSocketAddress mapped) {
        byte[] ip = mapped.getAddress().getAddress();
        int attrLength = 4 + ip.length;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + attrLength);
        b.putShort((short) BINDING_SUCCESS).putShort((short) (4 + attrLength)).putInt(MAGIC_COOKIE).put(transactionId);
        b.putShort((short) ATTR_XOR_MAPPED_ADDRESS).putShort((short) attrLength);
        b.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2));
        b.putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        b.put(xor(ip, transactionId));
        return b.array();
    }

    /** The message type of a STUN packet, or -1 if it is not one. */
    public static int type(byte[] packet, int length) {
        if (packet == null || length < 20 || packet.length < length || (packet[0] & 0xC0) != 0 || ByteBuffer.wrap(packet, 4, 4).getInt() != MAGIC_COOKIE) {
            return -1;
        }
        return ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
    }

    public static byte[] transactionId(byte[] packet) {
        return Arrays.copyOfRange(packet, 8, 20);
    }

    /**
     * The mapped address of a Binding success response: XOR-MAPPED-ADDRESS preferred,
     * MAPPED-ADDRESS otherwise; null when neither is present or well formed.
     */
    public static InetSocketAddress mappedAddress(byte[] packet, int length) {
        if (packet == null || length < 20 || packet.length < length) {
            return null; // never throw on a truncated datagram
        }
        int declared = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        int end = Math.min(length, 20 + declared);
        InetSocketAddress plain = null;
        int pos = 20;
        while (pos + 4 <= end) {
            int type = ((packet[pos] & 0xFF) << 8) | (packet[pos + 1] & 0xFF);
            int len = ((packet[pos + 2] & 0xFF) << 8) | (packet[pos + 3] & 0xFF);
            int value = pos + 4;
            if (value + len > end) {
                break;
            }
            if (type == ATTR_XOR_MAPPED_ADDRESS) {
                InetSocketAddress a = address(packet, value, len, true);
                if (a != null) {
                    return a;
                }
            } else if (type == ATTR_MAPPED_ADDRESS) {
                plain = address(packet, value, len, false);
            }
            pos = value + ((len + 3) & ~3);
        }
        return plain;
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
        int port = ((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF);
        byte[] ip = Arrays.copyOfRange(p, at + 4, at + 4 + ipLength);
        if (xored) {
            port ^= MAGIC_COOKIE >>> 16;
            ip = xor(ip, Arrays.copyOfRange(p, 8, 20));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** XOR with the magic cookie, then (for IPv6) the transaction id (RFC 5389 §15.2). */
    private static byte[] xor(byte[] ip, byte[] transactionId) {
        byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        byte[] out = new byte[ip.length];
        for (int i = 0; i < ip.length; i++) {
            out[i] = (byte) (ip[i] ^ key[i]);
        }
        return out;
    }
}
