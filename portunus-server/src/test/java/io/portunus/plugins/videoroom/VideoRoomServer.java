package io.portunus.plugins.videoroom;

import io.portunus.eventhandlers.EventServer;
import io.portunus.eventhandlers.HttpEventReceiver;

import java.nio.file.Path;
import java.util.Map;

/**
 * A real Portunus on free loopback ports with a VideoRoom configuration written for the test, its
 * plugin events (and all others) posted to an HTTP receiver, as Janus's sample handler posts them.
 */
final class VideoRoomServer implements AutoCloseable {
    static final String ADMIN_KEY = "supersecret";
    /** Debian's sample room 1234 and the admin key of the comparison with the real Janus. */
    static final String CONFIG = """
            general: { admin_key = "%s" }
            room-1234: {
                description = "Demo Room"
                secret = "adminpwd"
                publishers = 6
                bitrate = 128000
                fir_freq = 10
                record = false
            }
            """.formatted(ADMIN_KEY);

    final HttpEventReceiver events;
    final EventServer server;

    VideoRoomServer(String videoroomConfig) throws Exception {
        events = new HttpEventReceiver();
        server = new EventServer("", "broadcast = true", Map.of(
                "janus.plugin.videoroom.jcfg", videoroomConfig,
                "janus.eventhandler.sampleevh.jcfg", """
                        general: { enabled = true, events = "plugins,handles", grouping = false, backend = "%s" }
                        """.formatted(events.url())));
    }

    /** The VideoRoom's configuration file, which permanent rooms rewrite. */
    Path configFile() {
        return server.folder.resolve("janus.plugin.videoroom.jcfg");
    }

    VideoRoomClient client() throws Exception {
        return new VideoRoomClient(server.janus(), server.admin(), EventServer.ADMIN_SECRET);
    }

    @Override
    public void close() {
        server.close();
        events.close();
    }
}
