package io.portunus.plugins.echotest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.core.Json;
import io.portunus.core.spi.MediaPacket;
import io.portunus.core.spi.PluginContext;
import io.portunus.core.spi.PluginHandle;
import io.portunus.core.spi.PluginResult;
import io.portunus.media.rtcp.Remb;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtp.RtpHeader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The EchoTest's side of the bitrate cap: the REMB it sends and what it does with the peer's. */
class EchoTestRembTest {

    /** What the plugin hands the core: the RTCP it relays, with the byte contents at that moment. */
    private static final class Core implements PluginContext {
        final List<MediaPacket> rtcp = new ArrayList<>();

        @Override
        public ConfigGroup config() {
            return new ConfigGroup();
        }

        @Override
        public boolean pushEvent(PluginHandle handle, String transaction, ObjectNode data, ObjectNode jsep) {
            return true;
        }

        @Override
        public void relayRtcp(PluginHandle handle, MediaPacket packet) {
            rtcp.add(packet);
        }

        @Override
        public void closePc(PluginHandle handle) {
        }

        @Override
        public void endSession(PluginHandle handle) {
        }

        @Override
        public boolean eventsEnabled() {
            return false;
        }

        @Override
        public void notifyEvent(PluginHandle handle, ObjectNode event) {
        }

        List<Long> rembBitrates() {
            List<Long> out = new ArrayList<>();
            for (MediaPacket p : rtcp) {
                for (Rtcp.Block b : Rtcp.blocks(p.buffer(), p.offset(), p.length())) {
                    if (Remb.isRemb(p.buffer(), b)) {
                        out.add(Remb.bitrate(p.buffer(), b));
                    }
                }
            }
            return out;
        }
    }

    private static final class Handle implements PluginHandle {
        private Object state;

        public long sessionId() {
            return 1;
        }

        public long handleId() {
            return 2;
        }

        public String opaqueId() {
            return null;
        }

        public String token() {
            return null;
        }

        public Object pluginState() {
            return state;
        }

        public void pluginState(Object s) {
            state = s;
        }

        public boolean isAlive() {
            return true;
        }
    }

    private static void request(EchoTestPlugin plugin, Handle handle, long bitrate) {
        ObjectNode body = Json.object();
        body.put("bitrate", bitrate);
        var result = plugin.handleMessage(handle, "t", body, null);
        ((PluginResult.OkWait) result).work().run();
    }

    private static MediaPacket videoRtp() {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = 96;
        RtpHeader.ssrc(p, 0, 1234);
        return new MediaPacket("1", true, p, 0, p.length);
    }

    @Test
    void capIsSentAtOnceWhenChangedAndWithTheVideo() throws Exception {
        Core core = new Core();
        EchoTestPlugin plugin = new EchoTestPlugin();
        plugin.init(core);
        Handle handle = new Handle();
        plugin.createSession(handle);
        plugin.incomingRtp(handle, videoRtp()); // the video m-line is known from its first packet
        assertThat(core.rembBitrates()).isEmpty(); // no cap, no REMB

        request(plugin, handle, 128_000);
        assertThat(core.rembBitrates()).containsExactly(128_000L);
        assertThat(core.rtcp.get(0).mid()).isEqualTo("1");
        plugin.incomingRtp(handle, videoRtp()); // within the second: not repeated yet
        assertThat(core.rembBitrates()).hasSize(1);
        assertThat(plugin.querySession(handle).get("bitrate").asLong()).isEqualTo(128_000);

        request(plugin, handle, 0); // lifting the cap
        assertThat(core.rembBitrates()).last().isEqualTo(EchoTestPlugin.NO_CAP);
    }

    @Test
    void peerRembIsRecordedAndPassedOnNoHigherThanTheCap() throws Exception {
        Core core = new Core();
        EchoTestPlugin plugin = new EchoTestPlugin();
        plugin.init(core);
        Handle handle = new Handle();
        plugin.createSession(handle);
        byte[] remb = Remb.build(99, 2_000_000, List.of(5L));
        plugin.incomingRtcp(handle, new MediaPacket("1", true, remb, 0, remb.length));
        assertThat(plugin.querySession(handle).get("peer-bitrate").asLong()).isEqualTo(2_000_000);
        assertThat(core.rembBitrates()).containsExactly(2_000_000L); // no cap: passed on as is

        request(plugin, handle, 300_000);
        byte[] again = Remb.build(99, 2_000_000, List.of(5L));
        plugin.incomingRtcp(handle, new MediaPacket("1", true, again, 0, again.length));
        assertThat(core.rembBitrates()).last().isEqualTo(300_000L);
        assertThat(plugin.querySession(handle).get("peer-bitrate").asLong()).isEqualTo(2_000_000);
    }
}
