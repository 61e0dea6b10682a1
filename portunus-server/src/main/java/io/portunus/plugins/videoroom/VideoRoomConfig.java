package io.portunus.plugins.videoroom;

import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.ConfigTypeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code janus.plugin.videoroom.jcfg} (plugins.md §2.1): the {@code general} options and the
 * static rooms, categories named {@code room-<id>} with {@code create}'s parameters.
 *
 * @param adminKey       when set, {@code create} needs it and {@code list} shows private rooms only with it
 * @param lockRtpForward whether RTP forwarding needs the admin key too
 * @param stringIds      rooms and participants have string ids instead of integers
 * @param events         whether to send plugin events (type 64) to the event handlers
 * @param fromFile       whether the configuration came from a file (permanent rooms need one)
 * @param staticRooms    the rooms the file defines, in file order
 * @param forwardAllow   where RTP forwarders may send ({@code rtp_forward_allow}, a Portunus option)
 */
record VideoRoomConfig(String adminKey, boolean lockRtpForward, boolean stringIds, boolean events,
                       boolean fromFile, List<Room> staticRooms, ForwardAllowList forwardAllow) {
    private static final Logger LOG = LoggerFactory.getLogger(VideoRoomConfig.class);
    private static final String ROOM_PREFIX = "room-";

    static VideoRoomConfig read(ConfigGroup root) {
        ConfigGroup general = root.group("general");
        String adminKey = general.string("admin_key", null);
        boolean stringIds = general.bool("string_ids", false);
        List<Room> rooms = new ArrayList<>();
        for (String name : root.names()) {
            if (!name.startsWith(ROOM_PREFIX)) {
                continue;
            }
            Room room = staticRoom(root, name, stringIds);
            if (room != null && rooms.stream().noneMatch(r -> r.id.equals(room.id))) {
                rooms.add(room);
            }
        }
        // A configuration Portunus made up (no file in the folder) has no source file to save rooms in.
        boolean fromFile = isFile(root.source());
        return new VideoRoomConfig(adminKey, general.bool("lock_rtp_forward", false), stringIds,
                general.bool("events", true), fromFile, rooms, forwardAllow(general));
    }

    /** {@code rtp_forward_allow}; a value that does not parse leaves the default (loopback and private ranges). */
    private static ForwardAllowList forwardAllow(ConfigGroup general) {
        String value = general.string("rtp_forward_allow", ForwardAllowList.DEFAULT);
        try {
            return ForwardAllowList.parse(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("rtp_forward_allow: {}; forwarding to loopback and private ranges only", e.getMessage());
            return ForwardAllowList.parse(ForwardAllowList.DEFAULT);
        }
    }

    private static boolean isFile(String source) {
        try {
            return Files.isRegularFile(Path.of(source));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** One {@code room-<id>} category as a room; a category that cannot be one is skipped, as Janus does. */
    private static Room staticRoom(ConfigGroup root, String name, boolean stringIds) {
        VideoRoomId id = VideoRoomId.fromCategory(name.substring(ROOM_PREFIX.length()), stringIds);
        if (id == null) {
            LOG.warn("Skipping {}: not a valid room id", name);
            return null;
        }
        try {
            ConfigGroup group = root.group(name);
            Room room = RoomSettings.apply(id, RoomSettings.of(group));
            if (group.has("allowed")) {
                // Janus's static rooms take no token list; keeping it would lock everyone out.
                LOG.warn("Room {}: 'allowed' is not read from the configuration file", id);
            }
            return room;
        } catch (VideoRoomError | ConfigTypeException e) {
            LOG.warn("Skipping {}: {}", name, e.getMessage());
            return null;
        }
    }
}
