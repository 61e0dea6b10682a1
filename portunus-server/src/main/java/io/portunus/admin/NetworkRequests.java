package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.Validation.Kind;
import io.portunus.api.Validation;
import io.portunus.core.ApiException;
import io.portunus.core.Gateway;
import io.portunus.core.JanusError;
import io.portunus.media.ice.StunPacket;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * resolve_address and test_stun (admin-api.md §2.6): a real lookup and a real STUN Binding
 * request, each timed with the monotonic clock in microseconds. Both block, so both run on a
 * worker thread.
 */
final class NetworkRequests {
    /** How long test_stun waits for an answer, as Janus. */
    static final int STUN_TIMEOUT_MS = 5_000;
    private final Gateway gateway;

    NetworkRequests(Gateway gateway) {
        this.gateway = gateway;
    }

    void register(AdminApi api) {
        api.globalSlow("resolve_address", this::resolve);
        api.globalSlow("test_stun", this::testStun);
    }

    private ObjectNode resolve(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "address", Kind.STRING, true);
        long start = System.nanoTime();
        InetAddress address = lookup(r.get("address").asText());
        long elapsed = (System.nanoTime() - start) / 1_000;
        ObjectNode ok = AdminApi.success(transaction);
        ok.put("ip", address.getHostAddress());
        ok.put("elapsed", elapsed);
        return ok;
    }

    private ObjectNode testStun(JsonNode r, String transaction) throws ApiException {
        Validation.PLAIN.check(r, "address", Kind.STRING, true);
        Validation.PLAIN.check(r, "port", Kind.POSITIVE_INTEGER, true);
        Validation.PLAIN.check(r, "localport", Kind.POSITIVE_INTEGER, false);
        int port = r.get("port").asInt();
        int localPort = r.path("localport").asInt(0);
        if (port > 65535 || localPort > 65535) {
            throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
        }
        long start = System.nanoTime();
        InetAddress server = lookup(r.get("address").asText());
        InetSocketAddress mapped = bind(server, port, localPort);
        long elapsed = (System.nanoTime() - start) / 1_000;
        if (mapped.getAddress().isAnyLocalAddress()) {
            throw new ApiException(JanusError.UNKNOWN, "Could not resolve public address");
        }
        ObjectNode ok = AdminApi.success(transaction);
        ok.put("public_ip", mapped.getAddress().getHostAddress());
        ok.put("public_port", mapped.getPort());
        ok.put("elapsed", elapsed);
        return ok;
    }

    private static InetAddress lookup(String name) throws ApiException {
        try {
            return InetAddress.getByName(name);
        } catch (UnknownHostException | SecurityException e) {
            throw new ApiException(JanusError.UNKNOWN, "Could not resolve address");
        }
    }

    /** One Binding request from a wildcard socket of the server's family; its mapped address. */
    private static InetSocketAddress bind(InetAddress server, int port, int localPort) throws ApiException {
        InetAddress wildcard;
        try {
            wildcard = server instanceof Inet6Address ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(wildcard, localPort))) {
            byte[] id = StunPacket.newTransactionId();
            // A plain Binding request: no credentials, and no FINGERPRINT, as Janus sends.
            byte[] request = new StunPacket.Builder(StunPacket.BINDING_REQUEST, id).build(null, false);
            socket.send(new DatagramPacket(request, request.length, server, port));
            long deadline = System.nanoTime() + STUN_TIMEOUT_MS * 1_000_000L;
            byte[] buffer = new byte[1500];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
                }
                socket.setSoTimeout((int) left);
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                StunPacket response = StunPacket.parse(buffer, 0, in.getLength());
                if (response == null || !Arrays.equals(response.transactionId(), id)) {
                    continue; // not ours: keep waiting
                }
                InetSocketAddress mapped = response.type() == StunPacket.BINDING_SUCCESS ? response.mappedAddress() : null;
                if (mapped == null) {
                    throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
                }
                return mapped;
            }
        } catch (SocketTimeoutException e) {
            throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
        } catch (IOException e) {
            throw new ApiException(JanusError.UNKNOWN, "STUN request failed");
        }
    }
}
