package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** A WebSocket over a plain socket, to send frames a client library would refuse to send. */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CONTINUATION = 0;
    static final int PING = 9;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** What came back: a text message, a close frame with its code, or the end of the connection. */
    record Received(String text, int closeCode, boolean ended) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(text);
        }
    }

    RawWebSocket(int port, String subprotocol) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("no handshake reply");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    /** One frame, masked unless told otherwise, with the given RSV bits (0-7). */
    void frame(int opcode, byte[] payload, boolean fin, boolean masked, int rsv) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(mask | payload.length);
        } else if (payload.length < 65536) {
            f.write(mask | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] key = new byte[4];
            RANDOM.nextBytes(key);
            f.write(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i & 3];
            }
        }
        f.write(body);
        try {
            out.write(f.toByteArray());
            out.flush();
        } catch (SocketException e) {
            // the server closed while we were sending: what it said is still to be read
        }
    }

    void text(String text) throws IOException {
        frame(TEXT, text.getBytes(StandardCharsets.UTF_8), true, true, 0);
    }

    /** The next text message or close frame (pings and pongs skipped). */
    Received next() throws IOException {
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                int opcode = b0 & 0x0f;
                if (opcode == 8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    return new Received(new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8), code, false);
                }
                if (opcode == TEXT) {
                    return new Received(new String(payload, StandardCharsets.UTF_8), 0, false);
                }
            }
        } catch (EOFException | SocketException | SocketTimeoutException e) {
            return new Received(null, 0, true);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
