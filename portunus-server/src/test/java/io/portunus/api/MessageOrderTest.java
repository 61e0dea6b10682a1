package io.portunus.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.PluginRuntime;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.core.spi.TransportSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handle's messages reach its plugin in order, one at a time (Janus runs a plugin's messages
 * in order; VideoRoom's join, configure, publish depend on it), while other handles go on.
 * Through the real request path (JanusApi → MessageRequest → plugin → PluginRuntime), without a
 * transport: replies and events are what a client would receive.
 */
class MessageOrderTest {
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final CountDownLatch firstEntered = new CountDownLatch(1);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    /** Every reply and event in the order the client gets them. */
    private final BlockingQueue<JsonNode> wire = new LinkedBlockingQueue<>();
    private Gateway gateway;
    private JanusApi api;
    private final TransportSession client = new TransportSession() {
        @Override
        public void sendEvent(ObjectNode event) {
            wire.add(event);
        }

        @Override
        public String transportName() {
            return "test";
        }
    };

    /** Answers with an ack, then an event; a message with "block" waits until the test releases it. */
    private final class OrderPlugin implements Plugin {
        private PluginContext context;

        @Override
        public ModuleInfo info() {
            return new ModuleInfo("janus.plugin.ordertest", "Order test", "Portunus", "", 1, "0.0.1", List.of());
        }

        @Override
        public void init(PluginContext context) {
            this.context = context;
        }

        @Override
        public void destroy() {
        }

        @Override
        public void createSession(PluginHandle handle) {
        }

        @Override
        public PluginResult handleMessage(PluginHandle handle, String transaction, ObjectNode body, ObjectNode jsep) {
            String name = body.path("name").asText();
            handled.add(name + " started");
            if (body.path("block").asBoolean()) {
                firstEntered.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return PluginResult.okWait(null, () -> {
                ObjectNode event = Json.object();
                event.put("done", name);
                handled.add(name + " done"); // before the push: the test reads it once the event arrives
                context.pushEvent(handle, transaction, event, null);
            });
        }

        @Override
        public void hangupMedia(PluginHandle handle) {
        }

        @Override
        public void destroySession(PluginHandle handle) {
        }

        @Override
        public ObjectNode querySession(PluginHandle handle) {
            return Json.object();
        }
    }

    @BeforeEach
    void start() throws Exception {
        OrderPlugin plugin = new OrderPlugin();
        gateway = new Gateway(CoreSettings.defaults(), Map.of("janus.plugin.ordertest", plugin), Clock.SYSTEM);
        plugin.init(new PluginRuntime(gateway, plugin, new ConfigGroup()));
        gateway.start();
        api = new JanusApi(gateway, new ServerInfo(gateway, List::of));
    }

    @AfterEach
    void stop() {
        releaseFirst.countDown();
        gateway.stop();
    }

    private JsonNode call(String json) throws Exception {
        api.handle(client, Json.MAPPER.readTree(json), wire::add);
        return next();
    }

    private JsonNode next() throws InterruptedException {
        JsonNode n = wire.poll(10, TimeUnit.SECONDS);
        assertThat(n).as("a reply or event within 10 s").isNotNull();
        return n;
    }

    private long[] sessionAndHandle() throws Exception {
        long session = call("{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
        long handle = call("{\"janus\":\"attach\",\"transaction\":\"a\",\"plugin\":\"janus.plugin.ordertest\",\"session_id\":"
                + session + "}").path("data").path("id").asLong();
        return new long[] {session, handle};
    }

    private void message(long[] ids, String transaction, String body) throws Exception {
        api.handle(client, Json.MAPPER.readTree("{\"janus\":\"message\",\"transaction\":\"" + transaction
                + "\",\"session_id\":" + ids[0] + ",\"handle_id\":" + ids[1] + ",\"body\":" + body + "}"), wire::add);
    }

    @Test
    void aBlockedMessageHoldsTheNextOneOnItsHandleAndBothAnswerInOrder() throws Exception {
        long[] ids = sessionAndHandle();
        message(ids, "t1", "{\"name\":\"first\",\"block\":true}");
        assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
        message(ids, "t2", "{\"name\":\"second\"}");

        // Another handle is not held up by the blocked one.
        long[] other = sessionAndHandle();
        message(other, "o1", "{\"name\":\"other\"}");
        JsonNode otherAck = next();
        JsonNode otherEvent = next();
        assertThat(otherAck.path("transaction").asText()).isEqualTo("o1");
        assertThat(otherAck.path("janus").asText()).isEqualTo("ack");
        assertThat(otherEvent.path("plugindata").path("data").path("done").asText()).isEqualTo("other");
        assertThat(handled).as("the second message waits for the first").doesNotContain("second started");

        releaseFirst.countDown();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode n = next();
            seen.add(n.path("janus").asText() + " " + n.path("transaction").asText());
        }
        assertThat(seen).containsExactly("ack t1", "event t1", "ack t2", "event t2");
        assertThat(handled).containsSubsequence("first started", "first done", "second started", "second done");
    }
}
