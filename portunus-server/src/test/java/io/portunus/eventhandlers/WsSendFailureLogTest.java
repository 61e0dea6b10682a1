package io.portunus.eventhandlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * wsevh's line when a send fails names the reason (it used to print "failed ({})": the cause
 * was passed where SLF4J takes a stack trace). The backend here completes the handshake, reads a
 * little and resets the connection, so a send fails (a backend that merely stops reading is
 * waited for, not disconnected: NeverReadingBackendTest).
 */
class WsSendFailureLogTest {

    @Test
    void aFailedSendIsLoggedWithItsReason() throws Exception {
        try (ServerSocket backend = new ServerSocket();
             LogCapture log = new LogCapture()) {
            backend.setReceiveBufferSize(4096);
            backend.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> resetEveryConnection(backend));
            String url = "ws://127.0.0.1:" + backend.getLocalPort() + "/";
            try (EventServer server = new EventServer("", "broadcast = true", Map.of("janus.eventhandler.wsevh.jcfg", """
                    general: { enabled = true, events = "external", grouping = false, backend = "%s" }
                    """.formatted(url)))) {
                ApiClient api = new ApiClient();
                String pad = "x".repeat(400_000);
                Pattern line = Pattern.compile("janus\\.eventhandler\\.wsevh: sending to " + Pattern.quote(url)
                        + " failed \\((.+)\\), reconnecting");
                long deadline = System.nanoTime() + 60_000_000_000L;
                String reason = null;
                int sent = 0;
                while (reason == null && System.nanoTime() < deadline) {
                    // A burst, then one every 200 ms: the handler may see a reset as the peer
                    // closing (then it reconnects, and that connection is reset too) before a
                    // send of its fails, so later sends are what fail on a loaded machine.
                    ObjectNode event = ApiClient.request("custom_event").put("schema", "test.fill");
                    event.set("data", Json.object().put("pad", pad));
                    api.admin(server.admin(), event);
                    if (++sent > 40) {
                        Thread.sleep(200);
                    }
                    List<String> problems = log.problems();
                    for (String p : problems) {
                        Matcher m = line.matcher(p);
                        if (m.find()) {
                            reason = m.group(1);
                        }
                    }
                }
                assertThat(reason).as("the send-failure line, with its reason").isNotNull();
                assertThat(reason).isNotBlank().doesNotContain("{}").contains("Exception");
            }
            acceptor.interrupt();
        }
    }

    /** Every connection the handler makes (it reconnects after each) is reset the same way. */
    private static void resetEveryConnection(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> handshakeThenReset(s));
            }
        } catch (Exception e) {
            // the test is over
        }
    }

    /** Answers the WebSocket handshake, reads the first bytes of a message, then resets the connection. */
    private static void handshakeThenReset(Socket s) {
        try {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            Matcher key = Pattern.compile("(?i)sec-websocket-key:\\s*(\\S+)").matcher(head);
            key.find();
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n"
                    + "Sec-WebSocket-Protocol: janus-event-handlers\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in.readNBytes(16);
            s.setSoLinger(true, 0); // close with a reset: the client's next write fails
            s.close();
        } catch (Exception e) {
            // the test is over
        }
    }
}
