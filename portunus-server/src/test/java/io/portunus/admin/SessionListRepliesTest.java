package io.portunus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.api.ServerInfo;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.Json;
import io.portunus.core.Session;
import io.portunus.core.spi.TransportSession;
import io.portunus.events.EventBus;
import io.portunus.transports.JsonFormat;
import io.portunus.webrtc.WebRtc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * list_sessions keeps its written id list while no session comes or goes: every reply in every
 * JSON style is byte for byte what writing the ids one by one gives, and a session created or
 * destroyed is in (or gone from) the very next reply.
 */
class SessionListRepliesTest {
    private static final String SECRET = "s";
    private final TransportSession transport = new TransportSession() {
        @Override
        public void sendEvent(ObjectNode event) {
        }

        @Override
        public String transportName() {
            return "janus.transport.test";
        }
    };
    private Gateway gateway;
    private AdminApi admin;

    @BeforeEach
    void start() throws Exception {
        gateway = new Gateway(CoreSettings.builder(JcfgParser.parseString(
                "general: { admin_secret = \"" + SECRET + "\" }", "janus.jcfg")).build(), Map.of(), Clock.SYSTEM);
        gateway.start();
        WebRtc webRtc = new WebRtc(gateway, null);
        gateway.webRtc(webRtc);
        admin = new AdminApi(gateway, new ServerInfo(gateway, List::of), webRtc, EventBus.disabled());
    }

    @AfterEach
    void stop() {
        gateway.stop();
    }

    private ObjectNode listSessions() throws Exception {
        ObjectNode request = Json.object();
        request.put("janus", "list_sessions");
        request.put("transaction", "t1");
        request.put("admin_secret", SECRET);
        CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
        admin.handle(request, reply::complete);
        return reply.get(5, TimeUnit.SECONDS);
    }

    /** The reply as each style writes it, checked against the same ids written one by one as numbers. */
    private List<Long> idsInEveryStyle() throws Exception {
        List<Long> ids = null;
        for (JsonFormat format : JsonFormat.values()) {
            byte[] written = format.bytes(listSessions());
            JsonNode parsed = Json.MAPPER.readTree(written);
            List<Long> listed = new ArrayList<>();
            parsed.path("sessions").forEach(id -> listed.add(id.asLong()));
            ObjectNode byHand = Json.object();
            byHand.put("janus", "success");
            byHand.put("transaction", "t1");
            var array = byHand.putArray("sessions");
            listed.forEach(array::add);
            assertThat(new String(written)).as(format.name()).isEqualTo(new String(format.bytes(byHand)));
            assertThat(format.bytes(listSessions())).as(format.name() + ", asked again").isEqualTo(written);
            if (ids == null) {
                ids = listed;
            }
            assertThat(listed).as(format.name()).isEqualTo(ids);
        }
        return ids;
    }

    @Test
    void aCreatedOrDestroyedSessionShowsInTheNextReplyOfEveryStyle() throws Exception {
        assertThat(idsInEveryStyle()).isEmpty();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sessions.add(gateway.createSession(0, transport));
        }
        assertThat(idsInEveryStyle()).containsExactlyInAnyOrderElementsOf(sessions.stream().map(Session::id).toList());

        Session added = gateway.createSession(0, transport);
        assertThat(idsInEveryStyle()).hasSize(6).contains(added.id());

        Session gone = sessions.remove(2);
        gateway.destroySession(gone, false);
        assertThat(idsInEveryStyle()).hasSize(5).doesNotContain(gone.id()).contains(added.id());

        // Created and destroyed between two replies: the list is as before, and still right.
        Session brief = gateway.createSession(0, transport);
        gateway.destroySession(brief, false);
        assertThat(idsInEveryStyle()).hasSize(5).doesNotContain(brief.id());
    }

    @Test
    void theKeptListIsWrittenRightAtAnyDepth() throws Exception {
        gateway.createSession(0, transport);
        gateway.createSession(0, transport);
        for (JsonFormat format : JsonFormat.values()) {
            format.bytes(listSessions()); // written once at the reply's depth
            ObjectNode nested = Json.object();
            nested.putObject("a").putObject("b").putPOJO("sessions", new IdArray(gateway.sessionIdsDecimal()));
            JsonNode parsed = Json.MAPPER.readTree(format.bytes(nested));
            List<Long> listed = new ArrayList<>();
            parsed.at("/a/b/sessions").forEach(id -> listed.add(id.asLong()));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(gateway.sessions().stream().map(Session::id).toList());
            ObjectNode ordered = Json.object();
            var orderedArray = ordered.putObject("a").putObject("b").putArray("sessions");
            listed.forEach(orderedArray::add);
            assertThat(new String(format.bytes(nested))).as(format.name()).isEqualTo(new String(format.bytes(ordered)));
        }
    }
}
