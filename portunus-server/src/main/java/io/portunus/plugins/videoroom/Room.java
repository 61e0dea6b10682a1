package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room: the settings it was created with (some changeable by {@code edit}), its allowed
 * tokens and its participants. Guarded by the {@link Rooms} lock: only code holding it reads or
 * writes a room.
 */
final class Room {
    final VideoRoomId id;
    String description;
    boolean isPrivate;
    String secret;
    String pin;
    boolean requirePvtid;
    boolean signedTokens;
    /** Volatile: a publisher's REMBs read it on its I/O thread, without the lock. */
    volatile long bitrate;
    boolean bitrateCap;
    long firFreq;
    long maxPublishers = 3;
    List<String> audioCodecs = List.of("opus");
    List<String> videoCodecs = List.of("vp8");
    String vp9Profile;
    String h264Profile;
    boolean opusFec = true;
    boolean opusDtx;
    /** Janus 1.1.2 still reads and lists it, though SVC needs no switch any more. */
    boolean videoSvc;
    boolean audiolevelExt = true;
    boolean audiolevelEvent;
    long audioActivePackets = 100;
    long audioLevelAverage = 25;
    boolean videoorientExt = true;
    boolean playoutdelayExt = true;
    boolean transportWideCcExt = true;
    boolean record;
    String recDir;
    boolean lockRecord;
    boolean notifyJoining;
    boolean requireE2ee;
    boolean dummyPublisher;
    /** Whether joining needs one of {@link #allowed}'s tokens ({@code allowed} request, {@code enable}). */
    boolean checkAllowed;
    final Set<String> allowed = new LinkedHashSet<>();
    /** Publishers (participants), in the order they joined. */
    final Map<VideoRoomId, Participant> participants = new LinkedHashMap<>();

    Room(VideoRoomId id) {
        this.id = id;
        this.description = "Room " + id;
    }

    List<Participant> participants() {
        return new ArrayList<>(participants.values());
    }

    /** The room's entry in a {@code list} reply, keys in Janus 1.1.2's order. */
    ObjectNode describeForList() {
        ObjectNode r = Json.object();
        id.put(r, "room");
        r.put("description", description);
        r.put("pin_required", pin != null);
        r.put("is_private", isPrivate);
        r.put("max_publishers", maxPublishers);
        r.put("bitrate", bitrate);
        if (bitrateCap) {
            r.put("bitrate_cap", true);
        }
        r.put("fir_freq", firFreq);
        r.put("require_pvtid", requirePvtid);
        r.put("require_e2ee", requireE2ee);
        r.put("dummy_publisher", dummyPublisher);
        r.put("notify_joining", notifyJoining);
        r.put("audiocodec", String.join(",", audioCodecs));
        r.put("videocodec", String.join(",", videoCodecs));
        if (opusFec && hasOpus()) {
            r.put("opus_fec", true);
        }
        if (opusDtx && hasOpus()) {
            r.put("opus_dtx", true);
        }
        if (videoSvc) {
            r.put("video_svc", true);
        }
        r.put("record", record);
        if (recDir != null) {
            r.put("rec_dir", recDir);
        }
        r.put("lock_record", lockRecord);
        r.put("num_participants", participants.size());
        r.put("audiolevel_ext", audiolevelExt);
        r.put("audiolevel_event", audiolevelEvent);
        if (audiolevelEvent) {
            r.put("audio_active_packets", audioActivePackets);
            r.put("audio_level_average", audioLevelAverage);
        }
        r.put("videoorient_ext", videoorientExt);
        r.put("playoutdelay_ext", playoutdelayExt);
        r.put("transport_wide_cc_ext", transportWideCcExt);
        return r;
    }

    /** Whether a publisher may use Opus here (multiopus counts too, as in Janus's list). */
    private boolean hasOpus() {
        return audioCodecs.contains("opus") || audioCodecs.contains("multiopus");
    }

    /** The allowed tokens as Janus lists them: the latest added first. */
    ArrayNode allowedJson() {
        List<String> tokens = new ArrayList<>(allowed);
        ArrayNode list = Json.NODES.arrayNode();
        for (int i = tokens.size() - 1; i >= 0; i--) {
            list.add(tokens.get(i));
        }
        return list;
    }
}
