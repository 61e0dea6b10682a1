package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.JsonNode;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.plugins.videoroom.Params.Param;
import io.portunus.plugins.videoroom.Params.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A room's settings as a {@code create} request or a static {@code room-<id>} category gives
 * them (plugins.md §2.3): both are read through one {@link Source} so that a room made either
 * way has the same defaults.
 */
final class RoomSettings {
    /** The audio codecs a room may force on its publishers, in the order Janus names them. */
    static final List<String> AUDIO_CODECS = List.of("opus", "multiopus", "isac32", "isac16", "pcmu", "pcma",
            "g722", "l16-48", "l16");
    static final List<String> VIDEO_CODECS = List.of("vp8", "vp9", "h264", "av1", "h265");
    /** Janus keeps at most this many codecs of each kind per room and ignores the rest. */
    static final int MAX_CODECS = 5;
    static final long MIN_BITRATE = 64_000;

    /** {@code create}'s parameters and their types, in the order they are checked. */
    static final Param[] CREATE = {
            Param.optional("description", Type.STRING), Param.optional("is_private", Type.BOOLEAN),
            Param.optional("allowed", Type.ARRAY), Param.optional("secret", Type.STRING),
            Param.optional("pin", Type.STRING), Param.optional("require_pvtid", Type.BOOLEAN),
            Param.optional("signed_tokens", Type.BOOLEAN), Param.optional("bitrate", Type.POSITIVE_INTEGER),
            Param.optional("bitrate_cap", Type.BOOLEAN), Param.optional("fir_freq", Type.POSITIVE_INTEGER),
            Param.optional("publishers", Type.POSITIVE_INTEGER), Param.optional("audiocodec", Type.STRING),
            Param.optional("videocodec", Type.STRING), Param.optional("vp9_profile", Type.STRING),
            Param.optional("h264_profile", Type.STRING), Param.optional("opus_fec", Type.BOOLEAN),
            Param.optional("opus_dtx", Type.BOOLEAN), Param.optional("video_svc", Type.BOOLEAN),
            Param.optional("audiolevel_ext", Type.BOOLEAN),
            Param.optional("audiolevel_event", Type.BOOLEAN),
            Param.optional("audio_active_packets", Type.POSITIVE_INTEGER),
            Param.optional("audio_level_average", Type.POSITIVE_INTEGER),
            Param.optional("videoorient_ext", Type.BOOLEAN), Param.optional("playoutdelay_ext", Type.BOOLEAN),
            Param.optional("transport_wide_cc_ext", Type.BOOLEAN), Param.optional("record", Type.BOOLEAN),
            Param.optional("rec_dir", Type.STRING), Param.optional("lock_record", Type.BOOLEAN),
            Param.optional("permanent", Type.BOOLEAN), Param.optional("notify_joining", Type.BOOLEAN),
            Param.optional("require_e2ee", Type.BOOLEAN), Param.optional("dummy_publisher", Type.BOOLEAN),
            Param.optional("dummy_streams", Type.ARRAY), Param.optional("threads", Type.POSITIVE_INTEGER)};

    /** Where the settings come from: typed reads that answer null for "not given". */
    interface Source {
        String text(String name);

        Boolean bool(String name);

        Long number(String name);
    }

    private RoomSettings() {
    }

    /** A create request's body, already checked against {@link #CREATE}. */
    static Source of(JsonNode body) {
        return new Source() {
            @Override
            public String text(String name) {
                return Params.text(body, name);
            }

            @Override
            public Boolean bool(String name) {
                return Params.bool(body, name);
            }

            @Override
            public Long number(String name) {
                return Params.number(body, name);
            }
        };
    }

    /** A {@code room-<id>} category of the configuration file, read as leniently as Janus reads it. */
    static Source of(ConfigGroup group) {
        return new Source() {
            @Override
            public String text(String name) {
                return group.string(name, null);
            }

            @Override
            public Boolean bool(String name) {
                return group.has(name) ? group.bool(name, false) : null;
            }

            @Override
            public Long number(String name) {
                return group.has(name) ? group.integer(name, 0) : null;
            }
        };
    }

    /** A new room with {@code id} and what {@code source} says; 430 for a codec list Janus refuses. */
    static Room apply(VideoRoomId id, Source source) throws VideoRoomError {
        Room room = new Room(id);
        String description = source.text("description");
        if (description != null && !description.isEmpty()) {
            room.description = description;
        }
        room.isPrivate = or(source.bool("is_private"), false);
        room.secret = source.text("secret");
        room.pin = source.text("pin");
        room.requirePvtid = or(source.bool("require_pvtid"), false);
        room.signedTokens = or(source.bool("signed_tokens"), false);
        room.bitrate = bitrate(or(source.number("bitrate"), 0L));
        room.bitrateCap = or(source.bool("bitrate_cap"), false);
        room.firFreq = or(source.number("fir_freq"), 0L);
        room.maxPublishers = or(source.number("publishers"), 3L);
        room.audioCodecs = codecs(source.text("audiocodec"), AUDIO_CODECS, "opus",
                "Invalid element (audiocodec can only be or contain opus, isac32, isac16, pcmu, pcma or g722)");
        room.videoCodecs = codecs(source.text("videocodec"), VIDEO_CODECS, "vp8",
                "Invalid element (videocodec can only be or contain vp8, vp9, av1, h264 or h265)");
        room.vp9Profile = source.text("vp9_profile");
        room.h264Profile = source.text("h264_profile");
        room.opusFec = or(source.bool("opus_fec"), true);
        room.opusDtx = or(source.bool("opus_dtx"), false);
        room.videoSvc = or(source.bool("video_svc"), false);
        room.audiolevelExt = or(source.bool("audiolevel_ext"), true);
        room.audiolevelEvent = or(source.bool("audiolevel_event"), false);
        room.audioActivePackets = positiveOr(source.number("audio_active_packets"), 100);
        room.audioLevelAverage = positiveOr(source.number("audio_level_average"), 25);
        room.videoorientExt = or(source.bool("videoorient_ext"), true);
        room.playoutdelayExt = or(source.bool("playoutdelay_ext"), true);
        room.transportWideCcExt = or(source.bool("transport_wide_cc_ext"), true);
        room.record = or(source.bool("record"), false);
        room.recDir = source.text("rec_dir");
        room.lockRecord = or(source.bool("lock_record"), false);
        room.notifyJoining = or(source.bool("notify_joining"), false);
        room.requireE2ee = or(source.bool("require_e2ee"), false);
        room.dummyPublisher = or(source.bool("dummy_publisher"), false);
        return room;
    }

    /** Only the codec lists' checks of {@link #apply}, for a create to refuse them before anything else of the room. */
    static void checkCodecs(Source source) throws VideoRoomError {
        apply(VideoRoomId.of(0), source);
    }

    /** A bitrate cap below 64 kbit/s is raised to it; 0 means none. */
    static long bitrate(long requested) {
        return requested > 0 && requested < MIN_BITRATE ? MIN_BITRATE : requested;
    }

    /** A comma-separated list of codec names, each known, at most {@link #MAX_CODECS} kept. */
    private static List<String> codecs(String list, List<String> known, String fallback,
                                       String refusal) throws VideoRoomError {
        if (list == null) {
            return List.of(fallback);
        }
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String codec = part.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(codec)) {
                throw new VideoRoomError(VideoRoomError.INVALID_ELEMENT, refusal);
            }
            if (out.size() < MAX_CODECS) {
                out.add(codec);
            }
        }
        return List.copyOf(out);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static long positiveOr(Long value, long fallback) {
        return value != null && value > 0 ? value : fallback;
    }
}
