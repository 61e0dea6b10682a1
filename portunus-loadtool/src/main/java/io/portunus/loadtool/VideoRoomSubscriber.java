package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A VideoRoom subscriber as janus.js drives one (multistream): {@code join} as subscriber with
 * {@code streams: [{feed}]}, answer the server's offer (receive-only), send {@code start} with
 * that answer. Its publisher's packets carry their counters and send times, so the session
 * measures exact loss and publisher-to-subscriber delay.
 */
final class VideoRoomSubscriber implements Signalling {
    final long room;
    final long feed;
    /** The publisher's session in this tool: the counters this subscriber should receive. */
    final LoadSession publisher;
    private boolean answered;

    VideoRoomSubscriber(long room, LoadSession publisher, long feed) {
        this.room = room;
        this.publisher = publisher;
        this.feed = feed;
    }

    @Override
    public String plugin() {
        return "janus.plugin.videoroom";
    }

    @Override
    public void begin(LoadSession s) {
        ObjectNode join = HttpJson.JSON.createObjectNode();
        join.put("request", "join");
        join.put("ptype", "subscriber");
        join.put("room", room);
        join.putArray("streams").addObject().put("feed", feed);
        s.message(join, null);
    }

    @Override
    public void onEvent(LoadSession s, JsonNode data, JsonNode jsep) {
        if (data.has("error_code") || data.has("error")) {
            s.fail("videoroom error " + data.path("error_code").asInt() + ": " + data.path("error").asText());
        } else if (jsep.path("type").asText().equals("offer") && !answered) {
            answered = true;
            ObjectNode answer = s.onOffer(jsep.path("sdp").asText());
            if (answer != null) {
                ObjectNode start = HttpJson.JSON.createObjectNode();
                start.put("request", "start");
                s.message(start, answer).thenRun(() -> s.startIce());
            }
        }
    }
}
