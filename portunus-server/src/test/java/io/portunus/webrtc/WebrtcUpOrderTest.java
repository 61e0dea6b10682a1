package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Clock;
import io.portunus.core.Gateway;
import io.portunus.core.Handle;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.PluginRuntime;
import io.portunus.core.Session;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.core.spi.TransportSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a PeerConnection comes up the plugin is told ({@code setup_media}) before the client gets
 * {@code webrtcup} (media.md §2, as Janus). A client acts on webrtcup: a VideoRoom publisher can
 * be subscribed to from then on, which it can only once the plugin's setupMedia has made it a
 * publisher; told the other way round, a subscriber quick enough got "No such feed".
 */
class WebrtcUpOrderTest {
    /** What the client received, in order. */
    private final List<String> wire = new CopyOnWriteArrayList<>();
    /** What the client had received when the plugin's setupMedia ran. */
    private final List<List<String>> seenAtSetup = new CopyOnWriteArrayList<>();
    private final TransportSession client = new TransportSession() {
        @Override
        public void sendEvent(ObjectNode event) {
            wire.add(event.path("janus").asText());
        }

        @Override
        public String transportName() {
            return "test";
        }
    };
    private Gateway gateway;
    private RecordingPlugin plugin;

    private final class RecordingPlugin implements Plugin {
        @Override
        public ModuleInfo info() {
            return new ModuleInfo("janus.plugin.setuporder", "Setup order test", "Portunus", "", 1, "0.0.1", List.of());
        }

        @Override
        public void init(PluginContext context) {
        }

        @Override
        public void destroy() {
        }

        @Override
        public void createSession(PluginHandle handle) {
        }

        @Override
        public PluginResult handleMessage(PluginHandle handle, String transaction, ObjectNode body, ObjectNode jsep) {
            return PluginResult.ok(Json.object());
        }

        @Override
        public void setupMedia(PluginHandle handle) {
            seenAtSetup.add(List.copyOf(wire));
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
    void start() {
        plugin = new RecordingPlugin();
        gateway = new Gateway(CoreSettings.defaults(), Map.of(plugin.info().packageName(), plugin), Clock.SYSTEM);
        plugin.init(new PluginRuntime(gateway, plugin, new ConfigGroup()));
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop();
    }

    @Test
    void thePluginSetsUpTheMediaBeforeTheClientHearsWebrtcup() throws Exception {
        WebRtc webRtc = new WebRtc(gateway, null);
        gateway.webRtc(webRtc);
        Session session = gateway.createSession(0, client);
        Handle handle = gateway.attach(session, plugin, null, null);

        webRtc.listener(handle).onWebrtcUp();

        assertThat(seenAtSetup).as("setupMedia ran once, before the client had webrtcup").containsExactly(List.of());
        assertThat(wire).containsExactly("webrtcup");
    }
}
