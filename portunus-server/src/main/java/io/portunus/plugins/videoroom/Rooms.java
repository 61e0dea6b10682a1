package io.portunus.plugins.videoroom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every room of the plugin. Its monitor is the one lock of the VideoRoom's state: requests
 * (Janus API, Admin API, handles going away) take it for the few map and field updates they
 * make, which are rare next to media and never wait on anything while holding it.
 */
final class Rooms {
    private final Map<VideoRoomId, Room> rooms = new LinkedHashMap<>();

    /** Must be called holding this object's monitor, as every method here. */
    Room get(VideoRoomId id) {
        return id == null ? null : rooms.get(id);
    }

    Room require(VideoRoomId id) throws VideoRoomError {
        Room room = get(id);
        if (room == null) {
            throw VideoRoomError.noSuchRoom(id);
        }
        return room;
    }

    void add(Room room) {
        rooms.put(room.id, room);
    }

    Room remove(VideoRoomId id) {
        return rooms.remove(id);
    }

    /** A random id no room has yet. */
    VideoRoomId unusedId(boolean stringIds) {
        VideoRoomId id;
        do {
            id = VideoRoomId.random(stringIds);
        } while (rooms.containsKey(id));
        return id;
    }

    List<Room> all() {
        return new ArrayList<>(rooms.values());
    }

    int size() {
        return rooms.size();
    }
}
