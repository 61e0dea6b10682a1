package io.portunus.cli;

import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void acceptsJanusShortAndLongForms() {
        CommandLine cl = CommandLine.parse("-s", "30", "-d7", "--apisecret=abc", "--server-name", "edge-1", "-A", "-e",
                "-F", "/tmp", "--token-auth-secret=k", "-D", "-o");
        assertThat(cl.integer("session-timeout")).isEqualTo(30);
        assertThat(cl.integer("debug-level")).isEqualTo(7);
        assertThat(cl.get("apisecret")).isEqualTo("abc");
        assertThat(cl.get("server-name")).isEqualTo("edge-1");
        assertThat(cl.has("token-auth")).isTrue();
        assertThat(cl.has("event-handlers")).isTrue();
        assertThat(cl.get("configs-folder")).isEqualTo("/tmp");
        assertThat(cl.get("token-auth-secret")).isEqualTo("k");
    }

    @Test
    void commandLineOverridesTheConfigurationFile() throws Exception {
        var root = JcfgParser.parseString("general: { session_timeout = 60, debug_level = 4, server_name = \"cfg\" }", "t");
        CoreSettings.Builder b = CoreSettings.builder(root);
        Main.applyCommandLine(b, CommandLine.parse("-s", "15", "-n", "cli", "-a", "sec", "-o"));
        CoreSettings s = b.build();
        assertThat(s.sessionTimeout).isEqualTo(15);
        assertThat(s.serverName).isEqualTo("cli");
        assertThat(s.apiSecret).isEqualTo("sec");
        assertThat(s.debugColors).isFalse();
        assertThat(s.debugLevel).isEqualTo(4);
    }

    @Test
    void rejectsUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> CommandLine.parse("--bogus")).hasMessageContaining("Unknown option --bogus");
        assertThatThrownBy(() -> CommandLine.parse("-s")).hasMessageContaining("Missing value for -s");
        assertThatThrownBy(() -> CommandLine.parse("-s", "soon").integer("session-timeout"))
                .hasMessageContaining("needs a number");
        assertThatThrownBy(() -> CommandLine.parse("--ice-lite=yes")).hasMessageContaining("takes no value");
    }
}
