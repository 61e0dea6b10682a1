package io.portunus.plugins.videoroom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.core.spi.PluginHandle;

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
    /** Whether it has published media (an answered offer); always false until media exists. */
    boolean publishing;
    /**
     * False once it left, was kicked or its room was destroyed: as in Janus, the handle stays a
     * publisher of no room and cannot join again (a new handle can).
     */
    boolean inRoom = true;

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

    /** Its entry in a {@code listparticipants} reply. */
    ObjectNode describeForList() {
        ObjectNode p = Json.object();
        id.put(p, "id");
        if (display != null) {
            p.put("display", display);
        }
        p.put("publisher", publishing);
        return p;
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
