package io.portunus.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.admin.AdminApi;
import io.portunus.api.JanusApi;
import io.portunus.api.ServerInfo;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.PluginRuntime;
import io.portunus.core.Session;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.TransportSession;
import io.portunus.events.EventBus;
import io.portunus.plugins.echotest.EchoTestPlugin;
import io.portunus.webrtc.WebRtc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Janus and Admin APIs of an in-process gateway with the EchoTest plugin (no transports, no
 * media engine), for the API fuzz targets. Every request must get exactly one reply, an object
 * with a "janus" string, within 5 s; the sessions a request made are destroyed after it, so a
 * long run does not grow. Admin requests that would touch files or the network (pcap, DNS,
 * STUN) or flood the log go out with a wrong secret: they are fuzzed up to the authorization.
 */
final class ApiUnderFuzz {
    static final String SECRET = "fuzz-admin-secret";
    private static final Set<String> NOT_AUTHORIZED = Set.of("start_pcap", "stop_pcap", "resolve_address", "test_stun",
            "set_log_level", "custom_logline", "set_log_timestamps", "set_log_colors");
    private static volatile ApiUnderFuzz instance;

    private final Gateway gateway;
    private final JanusApi janus;
    private final AdminApi admin;
    private final TransportSession transport = new TransportSession() {
        @Override
        public void sendEvent(ObjectNode event) {
        }

        @Override
        public String transportName() {
            return "janus.transport.fuzz";
        }
    };

    private ApiUnderFuzz() throws Exception {
        ConfigGroup janusJcfg = JcfgParser.parseString("general: { admin_secret = \"" + SECRET + "\" }", "janus.jcfg");
        CoreSettings settings = CoreSettings.builder(janusJcfg).build();
        Plugin echo = new EchoTestPlugin();
        gateway = new Gateway(settings, Map.of(echo.info().packageName(), echo), Clock.SYSTEM);
        echo.init(new PluginRuntime(gateway, echo, new ConfigGroup()));
        gateway.start();
        WebRtc webRtc = new WebRtc(gateway, null); // no media engine: offers get 490, as without media addresses
        gateway.webRtc(webRtc);
        ServerInfo info = new ServerInfo(gateway, List::of);
        janus = new JanusApi(gateway, info);
        admin = new AdminApi(gateway, info, webRtc, EventBus.disabled());
    }

    static ApiUnderFuzz get() {
        ApiUnderFuzz a = instance;
        if (a == null) {
            synchronized (ApiUnderFuzz.class) {
                if (instance == null) {
                    try {
                        instance = new ApiUnderFuzz();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                a = instance;
            }
        }
        return a;
    }

    void janus(JsonNode request) {
        CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
        janus.handle(transport, request, r -> once(reply, r));
        check(reply, request);
    }

    void admin(JsonNode request) {
        if (request instanceof ObjectNode o) {
            String verb = o.path("janus").asText("").toLowerCase(Locale.ROOT);
            o.put("admin_secret", NOT_AUTHORIZED.contains(verb) ? "wrong" : SECRET);
        }
        CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
        admin.handle(request, r -> once(reply, r));
        check(reply, request);
    }

    private static void once(CompletableFuture<ObjectNode> reply, ObjectNode r) {
        if (!reply.complete(r)) {
            throw new AssertionError("a second reply: " + r);
        }
    }

    private void check(CompletableFuture<ObjectNode> reply, JsonNode request) {
        ObjectNode r;
        try {
            r = reply.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no reply within 5 s to " + request, e);
        }
        if (r == null || !r.path("janus").isTextual()) {
            throw new AssertionError("reply without \"janus\": " + r + " to " + request);
        }
        for (Session s : List.copyOf(gateway.sessions())) {
            gateway.destroySession(s, false);
        }
    }
}
