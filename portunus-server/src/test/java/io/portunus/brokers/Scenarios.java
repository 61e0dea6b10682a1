package io.portunus.brokers;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.eventhandlers.ApiClient;
import io.portunus.eventhandlers.Received;
import io.portunus.schema.Schemas;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.portunus.events.JanusExamples.assertSameShape;
import static io.portunus.events.JanusExamples.first;
import static io.portunus.events.JanusExamples.kind;
import static org.assertj.core.api.Assertions.assertThat;

/** What the broker tests share: the client scenario, the event checks, the restart stream. */
final class Scenarios {
    private Scenarios() {
    }

    record Session(long session, long handle) {
    }

    /** create, attach EchoTest, a message (ack + event), Admin list_sessions and handle_info, detach, destroy. */
    static Session janusAndAdmin(JanusOverBroker c, boolean admin) throws Exception {
        JsonNode created = c.request(JanusOverBroker.janus("create"), false);
        assertThat(created.path("janus").asText()).as(created.toString()).isEqualTo("success");
        long session = created.at("/data/id").asLong();
        JsonNode attached = c.request(JanusOverBroker.janus("attach").put("session_id", session)
                .put("plugin", "janus.plugin.echotest").put("opaque_id", "brokers"), false);
        assertThat(attached.path("janus").asText()).as(attached.toString()).isEqualTo("success");
        long handle = attached.at("/data/id").asLong();
        ObjectNode message = JanusOverBroker.janus("message").put("session_id", session).put("handle_id", handle);
        message.putObject("body").put("audio", false);
        JsonNode ack = c.request(message, false);
        assertThat(ack.path("janus").asText()).as(ack.toString()).isEqualTo("ack");
        JsonNode event = c.next(message.get("transaction").asText(), 10);
        assertThat(event.path("janus").asText()).isEqualTo("event");
        assertThat(event.path("sender").asLong()).isEqualTo(handle);
        assertThat(event.at("/plugindata/plugin").asText()).isEqualTo("janus.plugin.echotest");
        assertThat(event.at("/plugindata/data/result").asText()).isEqualTo("ok");
        if (admin) {
            JsonNode sessions = c.request(JanusOverBroker.janus("list_sessions"), true);
            assertThat(sessions.path("janus").asText()).as(sessions.toString()).isEqualTo("success");
            assertThat(sessions.get("sessions")).extracting(JsonNode::asLong).contains(session);
            JsonNode info = c.request(JanusOverBroker.janus("handle_info").put("session_id", session).put("handle_id", handle), true);
            assertThat(info.path("janus").asText()).as(info.toString()).isEqualTo("success");
            ObjectNode asSent = info.deepCopy();
            asSent.remove("_correlation_id");  // the RabbitMQ test's note of the AMQP property, not in the body
            Schemas.assertValidAdminReply("handle_info", asSent);
            assertThat(info.at("/info/plugin").asText()).isEqualTo("janus.plugin.echotest");
            assertThat(info.at("/info/opaque_id").asText()).isEqualTo("brokers");
            ObjectNode custom = JanusOverBroker.janus("custom_event").put("schema", "brokers.custom");
            custom.putObject("data").put("hello", "world").put("n", 42);
            assertThat(c.request(custom, true).path("janus").asText()).isEqualTo("success");
        }
        JsonNode detached = c.request(JanusOverBroker.janus("detach").put("session_id", session).put("handle_id", handle), false);
        assertThat(detached.path("janus").asText()).isEqualTo("success");
        JsonNode destroyed = c.request(JanusOverBroker.janus("destroy").put("session_id", session), false);
        assertThat(destroyed.path("janus").asText()).isEqualTo("success");
        return new Session(session, handle);
    }

    /** Every kind the server emits so far, each against Janus's recorded shape ({@code extra} keys removed first). */
    static void checkEveryKind(List<JsonNode> all, Session s, String transport, String extra) {
        List<JsonNode> events = all.stream().map(e -> {
            ObjectNode copy = e.deepCopy();
            if (extra != null) {
                copy.remove(extra);
            }
            return (JsonNode) copy;
        }).toList();
        for (JsonNode e : all) {
            Schemas.assertValidEvent(e);
        }
        for (JsonNode e : events) {
            assertThat(e.path("emitter").asText()).isEqualTo(BrokerServer.NAME);
        }
        JsonNode started = pick(events, e -> e.path("type").asInt() == 256 && e.path("subtype").asInt() == 1);
        assertThat(started.at("/event/status").asText()).isEqualTo("started");
        List<JsonNode> mine = events.stream().filter(e -> e.path("session_id").asLong() == s.session()).toList();
        assertThat(mine).extracting(e -> e.get("type").asInt() + ":" + e.at("/event/name").asText(e.at("/event/plugin").asText()))
                .containsExactly("1:created", "2:attached", "64:janus.plugin.echotest", "2:detached", "1:destroyed");
        assertSameShape(mine.get(0), first(kind(1, "name", "created")), "created");
        assertThat(mine.get(0).at("/event/transport/transport").asText()).isEqualTo(transport);
        assertSameShape(mine.get(1), first(kind(2, "name", "attached")), "attached");
        assertSameShape(mine.get(2), first(kind(64, 0)), "plugin");
        assertSameShape(mine.get(4), first(kind(1, "name", "destroyed")), "destroyed");
        JsonNode external = pick(events, e -> e.path("type").asInt() == 4);
        assertSameShape(external, first(kind(4, 0)), "external");
        assertThat(external.at("/event/schema").asText()).isEqualTo("brokers.custom");
        JsonNode connected = pick(events, e -> e.path("type").asInt() == 128 && e.at("/event/transport").asText().equals(transport));
        assertThat(connected.at("/event/data/event").asText()).isEqualTo("connected");
        assertThat(connected.at("/event/id").asText()).isEqualTo(mine.get(0).at("/event/transport/id").asText());
    }

    static JsonNode pick(List<JsonNode> events, Predicate<JsonNode> which) {
        return events.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such event in " + events));
    }

    static JsonNode stats(ApiClient api, BrokerServer server, String handler) throws Exception {
        ObjectNode q = ApiClient.request("query_eventhandler").put("handler", handler);
        q.putObject("request").put("request", "stats");
        JsonNode r = api.admin(server.admin(), q);
        assertThat(r.at("/response/result").asInt()).as(r.toString()).isEqualTo(200);
        return r.at("/response/stats");
    }

    /** How long after the broker's return the handler delivered again (its "delivered" counter moved). */
    static long resumeMillis(ApiClient api, BrokerServer server, String handler, long deliveredBefore) throws Exception {
        long back = System.nanoTime();
        while (System.nanoTime() - back < 20_000_000_000L) {
            if (stats(api, server, handler).path("delivered").asLong() > deliveredBefore) {
                return (System.nanoTime() - back) / 1_000_000;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /** The sessions' "created" events arrive in the order the sessions were created (a repeat is allowed, a jump back is not). */
    static void assertCreatedInOrder(Received r, List<Long> created) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < created.size(); i++) {
            index.put(created.get(i), i);
        }
        Set<Long> seen = new HashSet<>();
        int last = -1;
        for (JsonNode e : r.all()) {
            if (e.path("type").asInt() != 1 || !"created".equals(e.at("/event/name").asText())) {
                continue;
            }
            long id = e.get("session_id").asLong();
            Integer i = index.get(id);
            if (i == null || !seen.add(id)) {
                continue;
            }
            assertThat(i).as("session %d's event after a later session's", id).isGreaterThan(last);
            last = i;
        }
    }

    /** How long the broker stays down in the outage tests without a spool (issue #14: 10 s). */
    static final int OUTAGE_SECONDS = Integer.getInteger("portunus.brokerOutageSeconds", 10);

    static JsonNode transportStatus(ApiClient api, BrokerServer server, String transport) throws Exception {
        ObjectNode q = ApiClient.request("query_transport").put("transport", transport);
        q.putObject("request").put("request", "status");
        return api.admin(server.admin(), q);
    }

    static void await(String what, long seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Sessions created over HTTP, one "created" event each, until stopped. */
    static final class Stream implements AutoCloseable {
        final List<Long> created = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Stream(String janusUrl) {
            ApiClient api = new ApiClient();
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    try {
                        long id = api.create(janusUrl);
                        synchronized (created) {
                            created.add(id);
                        }
                        Thread.sleep(10);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        List<Long> stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            synchronized (created) {
                return List.copyOf(created);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    static Set<Long> sessionIds(Received r) {
        Set<Long> ids = new HashSet<>();
        for (JsonNode e : r.all()) {
            if (e.path("type").asInt() == 1 && "created".equals(e.at("/event/name").asText())) {
                ids.add(e.get("session_id").asLong());
            }
        }
        return ids;
    }

    /** Server log lines, to check that a problem is said clearly. */
    static final class Logs implements AutoCloseable {
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        Logs() {
            appender.start();
            root.addAppender(appender);
        }

        List<String> lines() {
            synchronized (appender) {
                return List.copyOf(appender.list).stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
        }
    }

    static ObjectNode parse(byte[] payload) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(payload), e);
        }
    }
}
