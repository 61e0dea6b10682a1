package io.portunus.config;

import io.portunus.config.jcfg.JcfgParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CoreSettingsTest {

    @Test
    void defaultsAreJanusDefaults() {
        CoreSettings s = CoreSettings.defaults();
        assertThat(s.sessionTimeout).isEqualTo(60);
        assertThat(s.reclaimSessionTimeout).isZero();
        assertThat(s.candidatesTimeout).isEqualTo(45);
        assertThat(s.serverName).isEqualTo("MyJanusInstance");
        assertThat(s.debugLevel).isEqualTo(4);
        assertThat(s.apiSecret).isNull();
        assertThat(s.media.minNackQueue()).isEqualTo(200);
        assertThat(s.media.twccPeriod()).isEqualTo(200);
        assertThat(s.media.dtlsMtu()).isEqualTo(1200);
    }

    @Test
    void readsDebiansJanusJcfg() throws Exception {
        CoreSettings s = CoreSettings.builder(JcfgParser.parseFile(Path.of("/etc/janus/janus.jcfg"))).build();
        assertThat(s.adminSecret).isEqualTo("janusoverlord");
        assertThat(s.configsFolder).isEqualTo(Path.of("/etc/janus"));
        assertThat(s.protectedFolders).contains("/bin", "/etc", "/usr");
    }

    @Test
    void disableListsNameJanusModuleFiles() throws Exception {
        var root = JcfgParser.parseString("""
                plugins: { disable = "libjanus_voicemail.so,libjanus_echotest.so" }
                transports: { disable = "libjanus_rabbitmq.so" }
                events: { broadcast = true, disable = "libjanus_sampleevh.so" }
                """, "t");
        CoreSettings s = CoreSettings.builder(root).build();
        assertThat(s.disabledModules).contains("libjanus_echotest.so", "libjanus_rabbitmq.so", "libjanus_sampleevh.so");
        assertThat(s.eventHandlers).isTrue();
    }

    @Test
    void embeddedDefaultsEnableBothApisWithAdminOnLoopback() throws Exception {
        var http = ConfigFolder.embedded("janus.transport.http.jcfg");
        assertThat(http.group("general").bool("http", false)).isTrue();
        assertThat(http.group("general").integer("port", 0)).isEqualTo(8088);
        assertThat(http.group("admin").string("admin_ip", null)).isEqualTo("127.0.0.1");
        var ws = ConfigFolder.embedded("janus.transport.websockets.jcfg");
        assertThat(ws.group("general").integer("ws_port", 0)).isEqualTo(8188);
        assertThat(ws.group("admin").integer("admin_ws_port", 0)).isEqualTo(7188);
        assertThat(ws.group("admin").string("admin_ws_ip", null)).isEqualTo("127.0.0.1");
    }
}
