package io.portunus.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 connection over a plain socket, to send what an HTTP client library would refuse to. */
final class RawHttp implements AutoCloseable {
    static final String PING = "{\"janus\":\"ping\",\"transaction\":\"p\"}";
    final Socket socket;
    private final InputStream in;

    /** A response; {@code status} -1 when the connection ended (or timed out) before one came. */
    record Response(int status, String head, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    static String post(String path, String extraHeaders, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Sends raw bytes; false when the server had already closed the connection. */
    boolean send(String raw) {
        try {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Response exchange(String raw) throws IOException {
        send(raw);
        return read();
    }

    /** Reads one response (Content-Length framed, as Portunus answers). */
    Response read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), "");
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : headText.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            int status = Integer.parseInt(headText.substring(9, 12));
            return new Response(status, headText, new String(body, StandardCharsets.UTF_8));
        } catch (SocketException | SocketTimeoutException e) {
            return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), "");
        }
    }

    /** True when the server has closed (or reset) this connection: a read sees the end within 5 s. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
