package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** janus.plugin.videoroom.jcfg read as Janus reads it: the general options and the static rooms. */
class VideoRoomConfigTest {
    private static final Path DEBIAN_SAMPLE = Path.of("/etc/janus/janus.plugin.videoroom.jcfg");

    private static VideoRoomConfig parse(String text) throws Exception {
        Path file = Files.createTempFile("videoroom", ".jcfg");
        Files.writeString(file, text);
        return VideoRoomConfig.read(JcfgParser.parseFile(file));
    }

    /** The list entry Janus 1.1.2 gave for the sample's room 1234 (janus-api/038-vr-list.json). */
    private static JsonNode recordedRoom1234() throws Exception {
        try (InputStream in = VideoRoomConfigTest.class.getResourceAsStream("/janus-1.1.2/janus-api/038-vr-list.json")) {
            return Json.MAPPER.readTree(in).at("/response/body/plugindata/data/list/0");
        }
    }

    @Test
    void debiansSampleLoadsItsTwoRoomsAndRoom1234IsListedAsJanusListsIt() throws Exception {
        assumeTrue(Files.isRegularFile(DEBIAN_SAMPLE), "Debian's janus package is not installed");
        VideoRoomConfig config = VideoRoomConfig.read(JcfgParser.parseFile(DEBIAN_SAMPLE));
        assertThat(config.adminKey()).isNull();
        assertThat(config.stringIds()).isFalse();
        assertThat(config.events()).isTrue();
        assertThat(config.lockRtpForward()).isFalse();
        assertThat(config.fromFile()).isTrue();
        assertThat(config.staticRooms()).extracting(r -> r.id.toString()).containsExactly("1234", "5678");
        Room demo = config.staticRooms().getFirst();
        assertThat(demo.secret).isEqualTo("adminpwd");
        assertThat(demo.pin).isNull();
        // Key by key, in order, values included: the same JSON as Janus's.
        assertThat(demo.describeForList().toString()).isEqualTo(recordedRoom1234().toString());
        Room svc = config.staticRooms().get(1);
        assertThat(svc.description).isEqualTo("VP9-SVC Demo Room");
        assertThat(svc.videoCodecs).containsExactly("vp9");
        assertThat(svc.bitrate).isEqualTo(512_000);
    }

    @Test
    void generalOptionsAreRead() throws Exception {
        VideoRoomConfig config = parse("""
                general: { admin_key = "k", lock_rtp_forward = true, events = false, string_ids = true }
                room-abc: { description = "A" }
                """);
        assertThat(config.adminKey()).isEqualTo("k");
        assertThat(config.lockRtpForward()).isTrue();
        assertThat(config.events()).isFalse();
        assertThat(config.stringIds()).isTrue();
        assertThat(config.staticRooms()).extracting(r -> r.id).containsExactly(VideoRoomId.of("abc"));
    }

    @Test
    void staticRoomsTakeCreatesParametersWithItsDefaults() throws Exception {
        VideoRoomConfig config = parse("""
                room-42: {
                    is_private = "yes"
                    pin = "1111"
                    bitrate = 1000
                    audiocodec = "opus,pcmu"
                    videocodec = "h264, vp8"
                    audiolevel_event = true
                    rec_dir = "/tmp/rec"
                }
                room-43: { }
                """);
        Room r = config.staticRooms().getFirst();
        assertThat(r.description).isEqualTo("Room 42");
        assertThat(r.isPrivate).isTrue();
        assertThat(r.bitrate).as("raised to 64 kbit/s").isEqualTo(64_000);
        assertThat(r.describeForList().toString()).isEqualTo("""
                {"room":42,"description":"Room 42","pin_required":true,"is_private":true,"max_publishers":3,\
                "bitrate":64000,"fir_freq":0,"require_pvtid":false,"require_e2ee":false,"dummy_publisher":false,\
                "notify_joining":false,"audiocodec":"opus,pcmu","videocodec":"h264,vp8","opus_fec":true,\
                "record":false,"rec_dir":"/tmp/rec","lock_record":false,"num_participants":0,"audiolevel_ext":true,\
                "audiolevel_event":true,"audio_active_packets":100,"audio_level_average":25,"videoorient_ext":true,\
                "playoutdelay_ext":true,"transport_wide_cc_ext":true}""");
        Room plain = config.staticRooms().get(1);
        assertThat(plain.maxPublishers).isEqualTo(3);
        assertThat(plain.audioCodecs).containsExactly("opus");
        assertThat(plain.videoCodecs).containsExactly("vp8");
    }

    @Test
    void roomsThatCannotBeAreSkippedAndTheOthersLoad() throws Exception {
        VideoRoomConfig config = parse("""
                room-abc: { description = "not a number" }
                room-0: { }
                room-7: { videocodec = "theora" }
                room-8: { publishers = "many" }
                room-9: { description = "fine" }
                """);
        assertThat(config.staticRooms()).extracting(r -> r.id).containsExactly(VideoRoomId.of(9));
    }

    @Test
    void withoutAFileThereIsNoPlaceForPermanentRooms() {
        VideoRoomConfig config = VideoRoomConfig.read(new ConfigGroup());
        assertThat(config.fromFile()).isFalse();
        assertThat(config.staticRooms()).isEmpty();
        assertThat(config.events()).isTrue();
    }
}
