package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.core.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A Graylog stand-in on 127.0.0.1, written from the GELF 1.1 spec: over UDP it reassembles
 * chunked messages (magic 0x1e 0x0f, 8-byte id, sequence, count) and gunzips; over TCP it
 * splits the stream at NUL bytes. It keeps the GELF messages and their {@code full_message}
 * (the Janus event) apart.
 */
public final class GelfReceiver implements AutoCloseable {
    public final Received events = new Received();
    public final List<JsonNode> gelf = new CopyOnWriteArrayList<>();
    public final AtomicInteger chunkedMessages = new AtomicInteger();
    public final AtomicInteger compressedMessages = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Thread thread;

    private GelfReceiver(boolean useTcp) throws IOException {
        udp = useTcp ? null : new DatagramSocket(0, InetAddress.getLoopbackAddress());
        tcp = useTcp ? new ServerSocket(0, 10, InetAddress.getLoopbackAddress()) : null;
        thread = Thread.ofPlatform().daemon().name("gelf-receiver").start(useTcp ? this::tcpLoop : this::udpLoop);
    }

    public static GelfReceiver udp() throws IOException {
        return new GelfReceiver(false);
    }

    public static GelfReceiver tcp() throws IOException {
        return new GelfReceiver(true);
    }

    public int port() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    private void udpLoop() {
        Map<Long, byte[][]> partial = new HashMap<>();
        byte[] buf = new byte[65536];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] d = Arrays.copyOf(p.getData(), p.getLength());
                if (d.length >= 12 && d[0] == 0x1e && d[1] == 0x0f) {
                    long id = 0;
                    for (int i = 2; i < 10; i++) {
                        id = (id << 8) | (d[i] & 0xff);
                    }
                    int seq = d[10] & 0xff;
                    int count = d[11] & 0xff;
                    byte[][] parts = partial.computeIfAbsent(id, k -> new byte[count][]);
                    parts[seq] = Arrays.copyOfRange(d, 12, d.length);
                    if (Arrays.stream(parts).allMatch(x -> x != null)) {
                        partial.remove(id);
                        ByteArrayOutputStream whole = new ByteArrayOutputStream();
                        for (byte[] part : parts) {
                            whole.writeBytes(part);
                        }
                        chunkedMessages.incrementAndGet();
                        message(whole.toByteArray());
                    }
                } else {
                    message(d);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tcpLoop() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept(); InputStream in = s.getInputStream()) {
                ByteArrayOutputStream current = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == 0) {
                        message(current.toByteArray());
                        current.reset();
                    } else {
                        current.write(b);
                    }
                }
            } catch (IOException e) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void message(byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            compressedMessages.incrementAndGet();
            in = new GZIPInputStream(in);
        }
        JsonNode m = Json.MAPPER.readTree(in);
        gelf.add(m);
        events.add(m.get("full_message"));
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        thread.interrupt();
    }
}
