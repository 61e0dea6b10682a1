package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A VideoRoom publisher as janus.js drives one: {@code join} as publisher, then {@code publish}
 * with a send-only offer; the answer comes in the {@code configured} event. A room that does not
 * exist (error 426) is created first with the settings of Debian's sample room 1234 (6 publishers,
 * 128 kbps REMB cap, FIR every 10 s), so several rooms need no extra configuration on either server.
 */
final class VideoRoomPublisher implements Signalling {
    static final int NO_SUCH_ROOM = 426;

    final long room;
    /** The publisher's id in the room (the feed subscribers ask for); 0 until joined. */
    volatile long feedId;
    private boolean createdRoom;

    VideoRoomPublisher(long room) {
        this.room = room;
    }

    @Override
    public String plugin() {
        return "janus.plugin.videoroom";
    }

    @Override
    public void begin(LoadSession s) {
        ObjectNode join = HttpJson.JSON.createObjectNode();
        join.put("request", "join");
        join.put("ptype", "publisher");
        join.put("room", room);
        join.put("display", "load-publisher-" + s.index);
        s.message(join, null);
    }

    @Override
    public void onEvent(LoadSession s, JsonNode data, JsonNode jsep) {
        String what = data.path("videoroom").asText();
        if (data.has("error_code") || data.has("error")) {
            if (data.path("error_code").asInt() == NO_SUCH_ROOM && !createdRoom) {
                createdRoom = true;
                createRoom(s);
                return;
            }
            s.fail("videoroom error " + data.path("error_code").asInt() + ": " + data.path("error").asText());
        } else if (what.equals("created")) {
            begin(s);
        } else if (what.equals("joined")) {
            feedId = data.path("id").asLong();
            ObjectNode publish = HttpJson.JSON.createObjectNode();
            publish.put("request", "publish");
            s.message(publish, s.offer("sendonly"));
        } else if (jsep.path("type").asText().equals("answer")) {
            s.onAnswer(jsep.path("sdp").asText());
        }
    }

    private void createRoom(LoadSession s) {
        ObjectNode create = HttpJson.JSON.createObjectNode();
        create.put("request", "create");
        create.put("room", room);
        create.put("description", "Load room " + room);
        create.put("publishers", 6);
        create.put("bitrate", 128000);
        create.put("fir_freq", 10);
        s.message(create, null);
    }
}
