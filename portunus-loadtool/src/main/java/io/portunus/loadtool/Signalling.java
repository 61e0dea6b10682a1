package io.portunus.loadtool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a load session says to its plugin once attached and bound: the EchoTest's one offer, a
 * VideoRoom publisher's join and publish, or a VideoRoom subscriber's join and start. The session
 * keeps the peer (ICE, DTLS, SRTP, media); this decides the requests. Everything runs on the
 * session's event loop.
 */
interface Signalling {
    /** The plugin to attach to, e.g. {@code janus.plugin.echotest}. */
    String plugin();

    /** The handle is attached and the socket bound: send the first request. */
    void begin(LoadSession session);

    /** An event (or a synchronous plugin answer) for this handle: its plugin data and its JSEP (may be missing). */
    void onEvent(LoadSession session, JsonNode data, JsonNode jsep);

    /** The EchoTest: an offer with audio and video, the answer in an event. */
    static Signalling echoTest() {
        return new Signalling() {
            @Override
            public String plugin() {
                return "janus.plugin.echotest";
            }

            @Override
            public void begin(LoadSession s) {
                var body = HttpJson.JSON.createObjectNode();
                body.put("audio", s.options().audio());
                body.put("video", s.options().video());
                s.message(body, s.offer("sendrecv"));
            }

            @Override
            public void onEvent(LoadSession s, JsonNode data, JsonNode jsep) {
                if (data.has("error")) {
                    s.fail("echotest error " + data.path("error_code").asInt() + ": " + data.path("error").asText());
                } else if (jsep.path("type").asText().equals("answer")) {
                    s.onAnswer(jsep.path("sdp").asText());
                }
            }
        };
    }
}
