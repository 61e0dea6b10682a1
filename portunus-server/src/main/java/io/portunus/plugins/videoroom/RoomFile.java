package io.portunus.plugins.videoroom;

import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration file as permanent rooms change it ({@code "permanent": true} on create, edit
 * and destroy): every top-level category as it was read, rooms added, replaced or removed, and the
 * whole file written again, as Janus does (comments are not kept). Guarded by the rooms lock.
 */
final class RoomFile {
    private final Path file;
    /** Top-level setting name → its jcfg text, in file order. */
    private final Map<String, String> blocks = new LinkedHashMap<>();

    private RoomFile(Path file) {
        this.file = file;
    }

    /** The file {@code root} was read from, or null when it came from no file. */
    static RoomFile of(ConfigGroup root, boolean fromFile) {
        if (!fromFile) {
            return null;
        }
        RoomFile f = new RoomFile(Path.of(root.source()));
        for (String name : root.names()) {
            f.blocks.put(name, JcfgWriter.writeSetting(name, root.get(name).orElseThrow()));
        }
        return f;
    }

    /** Adds or replaces {@code room}'s category and writes the file; nothing changes if writing fails. */
    void save(Room room) throws VideoRoomError {
        Map<String, String> before = new LinkedHashMap<>(blocks);
        blocks.put(category(room.id), block(room));
        write(before);
    }

    void remove(VideoRoomId id) throws VideoRoomError {
        Map<String, String> before = new LinkedHashMap<>(blocks);
        blocks.remove(category(id));
        write(before);
    }

    private void write(Map<String, String> before) throws VideoRoomError {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, String.join("\n", blocks.values()), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            blocks.clear();
            blocks.putAll(before);
            throw new VideoRoomError(VideoRoomError.UNKNOWN_ERROR, "Error saving the configuration file: " + e.getMessage());
        }
    }

    private static String category(VideoRoomId id) {
        return "room-" + id;
    }

    /** The room's settings as a static room category reads them back. */
    private static String block(Room r) {
        StringBuilder out = new StringBuilder(category(r.id)).append(": {\n");
        line(out, "description", JcfgWriter.quote(r.description));
        line(out, "is_private", r.isPrivate);
        if (r.secret != null) {
            line(out, "secret", JcfgWriter.quote(r.secret));
        }
        if (r.pin != null) {
            line(out, "pin", JcfgWriter.quote(r.pin));
        }
        line(out, "require_pvtid", r.requirePvtid);
        line(out, "signed_tokens", r.signedTokens);
        line(out, "publishers", r.maxPublishers);
        line(out, "bitrate", r.bitrate);
        line(out, "bitrate_cap", r.bitrateCap);
        line(out, "fir_freq", r.firFreq);
        line(out, "audiocodec", JcfgWriter.quote(String.join(",", r.audioCodecs)));
        line(out, "videocodec", JcfgWriter.quote(String.join(",", r.videoCodecs)));
        if (r.vp9Profile != null) {
            line(out, "vp9_profile", JcfgWriter.quote(r.vp9Profile));
        }
        if (r.h264Profile != null) {
            line(out, "h264_profile", JcfgWriter.quote(r.h264Profile));
        }
        line(out, "opus_fec", r.opusFec);
        line(out, "opus_dtx", r.opusDtx);
        if (r.videoSvc) {
            line(out, "video_svc", true);
        }
        line(out, "audiolevel_ext", r.audiolevelExt);
        line(out, "audiolevel_event", r.audiolevelEvent);
        line(out, "audio_active_packets", r.audioActivePackets);
        line(out, "audio_level_average", r.audioLevelAverage);
        line(out, "videoorient_ext", r.videoorientExt);
        line(out, "playoutdelay_ext", r.playoutdelayExt);
        line(out, "transport_wide_cc_ext", r.transportWideCcExt);
        line(out, "record", r.record);
        if (r.recDir != null) {
            line(out, "rec_dir", JcfgWriter.quote(r.recDir));
        }
        line(out, "lock_record", r.lockRecord);
        line(out, "notify_joining", r.notifyJoining);
        line(out, "require_e2ee", r.requireE2ee);
        line(out, "dummy_publisher", r.dummyPublisher);
        return out.append("}\n").toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append('\t').append(key).append(" = ").append(value).append('\n');
    }
}
