package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;
import io.portunus.media.rtcp.RembSchedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A publisher-type participant of a room: joined with {@code ptype: "publisher"}, whether or not
 * it sends media yet. Guarded by the {@link Rooms} lock like its room.
 */
final class Participant {
    final VideoRoomId id;
    final long privateId;
    final PluginHandle handle;
    final Room room;
    String display;
    /** Whether it publishes media (its offer was answered and not unpublished since). */
    volatile boolean publishing;
    /** What it publishes, as its last answered offer settled it; empty while it does not. */
    volatile List<PublishedStream> streams = List.of();
    /** Its data channel m-line when its answer accepted one, else null. */
    volatile PublishedData data;
    volatile String audioCodec;
    volatile String videoCodec;
    /** Its own recording ({@code configure} {@code record}) and base name ({@code filename}), or null. */
    boolean record;
    String recordName;
    /**
     * False once it left, was kicked or its room was destroyed: as in Janus, the handle stays a
     * publisher of no room and cannot join again (a new handle can).
     */
    boolean inRoom = true;
    /** Its RTP forwarders by stream id, in the order they were made. */
    final Map<Long, RtpForwarder> forwarders = new LinkedHashMap<>();
    /** A {@code configure} {@code bitrate} of its own (-1: the room's, which {@code edit} may change). */
    private volatile long ownBitrate = -1;
    /** Its own {@code audio_active_packets} and {@code audio_level_average} (0: the room's). */
    private volatile long ownAudioActivePackets;
    private volatile long ownAudioLevelAverage;
    /** Its REMBs: the cap told on its video packets, on its I/O thread. */
    final RembSchedule remb = new RembSchedule();

    Participant(VideoRoomId id, long privateId, PluginHandle handle, Room room, String display) {
        this.id = id;
        this.privateId = privateId;
        this.handle = handle;
        this.room = room;
        this.display = display;
    }

    boolean isPublishing() {
        return publishing;
    }

    /** The bitrate cap its REMBs tell (0: none): its own from {@code configure}, else the room's. */
    long bitrate() {
        long own = ownBitrate;
        return own >= 0 ? own : room.bitrate;
    }

    /**
     * {@code configure}'s {@code bitrate}: as Janus, with the room's {@code bitrate_cap} a
     * publisher may not go above the room's (nor lift it with 0). Call holding the rooms lock.
     */
    void bitrate(long requested) {
        long value = requested;
        if (room.bitrateCap && room.bitrate > 0 && (value == 0 || value > room.bitrate)) {
            value = room.bitrate;
        }
        ownBitrate = value;
    }

    /** Its own talking-detection values ({@link OwnAudioLevels}); null leaves one as it is, 0 means the room's. */
    void ownAudioLevels(Long packets, Long average) {
        if (packets != null) {
            ownAudioActivePackets = packets;
        }
        if (average != null) {
            ownAudioLevelAverage = average;
        }
    }

    /** The packets its talking detection averages: its own {@code audio_active_packets}, else the room's. */
    int audioActivePackets() {
        long own = ownAudioActivePackets;
        return (int) Math.min(own > 0 ? own : room.audioActivePackets, 1 << 20);
    }

    /**
     * The threshold (-dBov) its talking detection uses: its own {@code audio_level_average}, else
     * the room's; above 127 every average is below it (talking, as Janus 1.1.2 decides).
     */
    int audioLevelAverage() {
        long own = ownAudioLevelAverage;
        return (int) Math.min(own > 0 ? own : room.audioLevelAverage, 128);
    }

    /** Whether one of its audio streams talks now (audiolevel_event; false when not measured). */
    boolean isTalking() {
        for (PublishedStream s : streams) {
            if (s.isTalking()) {
                return true;
            }
        }
        return false;
    }

    /** Its entry in a {@code listparticipants} reply. */
    ObjectNode describeForList() {
        ObjectNode p = Json.object();
        id.put(p, "id");
        if (display != null) {
            p.put("display", display);
        }
        p.put("publisher", publishing);
        if (publishing && streams.stream().anyMatch(s -> !s.video)) {
            p.put("talking", isTalking()); // as Janus 1.1.2 for a publisher sending audio
        }
        return p;
    }

    /** The stream it publishes under {@code mid}, or null. */
    PublishedStream stream(String mid) {
        for (PublishedStream s : streams) {
            if (s.mid.equals(mid)) {
                return s;
            }
        }
        return null;
    }

    /** Every subscriber leg its streams are forwarded to. */
    List<SubscriberLeg> legs() {
        List<SubscriberLeg> all = new ArrayList<>();
        streams.forEach(s -> all.addAll(Arrays.asList(s.legs())));
        return all;
    }

    /** Stops publishing: no stream is forwarded any more. Returns whether it was publishing. */
    boolean unpublish() {
        boolean was = publishing;
        publishing = false;
        stopForwarding();
        streams.forEach(PublishedStream::removeAll);
        streams = List.of();
        PublishedData d = data;
        if (d != null) {
            d.removeAll();
            data = null;
        }
        return was;
    }

    /** Closes its RTP forwarders (it stopped publishing, left, or its room is gone), as Janus, with no event. */
    void stopForwarding() {
        forwarders.values().forEach(RtpForwarder::close);
        forwarders.clear();
        streams.forEach(s -> {
            for (RtpForwarder f : s.forwarders()) {
                s.removeForwarder(f);
            }
        });
    }

    /**
     * A renegotiation replaced its streams: each forwarder goes on with the new stream of its mid
     * (and kind), or closes when there is none.
     */
    void keepForwarders(List<PublishedStream> next) {
        for (var it = forwarders.values().iterator(); it.hasNext(); ) {
            RtpForwarder f = it.next();
            PublishedStream old = f.source;
            PublishedStream now = next.stream().filter(s -> s.mid.equals(old.mid) && s.video == old.video)
                    .findFirst().orElse(null);
            if (now == null) {
                f.close();
                it.remove();
            } else {
                f.source = now;
                now.addForwarder(f);
            }
        }
    }

    /** Its entry in a {@code publishers} list (the {@code joined} answer, the {@code publishers} event). */
    ObjectNode describeAsPublisher() {
        ObjectNode p = Json.object();
        id.put(p, "id");
        if (display != null) {
            p.put("display", display);
        }
        if (audioCodec != null) {
            p.put("audio_codec", audioCodec);
        }
        if (videoCodec != null) {
            p.put("video_codec", videoCodec);
        }
        describeStreams(p.putArray("streams"));
        p.put("talking", isTalking());
        return p;
    }

    /** Its published streams as the events list them, the data m-line among them in m-line order. */
    void describeStreams(ArrayNode list) {
        PublishedData d = data;
        boolean dataDone = d == null;
        for (PublishedStream s : streams) {
            if (!dataDone && d.mindex < s.mindex) {
                list.add(d.describe());
                dataDone = true;
            }
            list.add(s.describe());
        }
        if (!dataDone) {
            list.add(d.describe());
        }
    }

    /** Its entry in an {@code attendees} list (participants that do not publish). */
    ObjectNode describeAsAttendee() {
        ObjectNode p = Json.object();
        id.put(p, "id");
        if (display != null) {
            p.put("display", display);
        }
        return p;
    }
}
