package io.portunus.media.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test SDPs under {@code src/test/resources/sdp/}. */
final class Fixtures {
    private Fixtures() {
    }

    /** Chromium's offer to the EchoTest, from Janus 1.1.2's handle_info (admin example 078). */
    static final String CHROMIUM_OFFER = "chromium-offer.sdp";
    /** Janus 1.1.2's EchoTest answer to {@link #CHROMIUM_OFFER}. */
    static final String JANUS_ANSWER = "janus-answer.sdp";
    /** An offer Janus's VideoRoom sent to a subscriber (events example). */
    static final String JANUS_VIDEOROOM_OFFER = "janus-videoroom-offer.sdp";
    /** Chromium's recvonly answer to that offer. */
    static final String CHROMIUM_RECVONLY_ANSWER = "chromium-recvonly-answer.sdp";
    /** A Firefox-style offer written by hand: session-level fingerprint, simulcast, candidates, data channel. */
    static final String FIREFOX_OFFER = "firefox-offer.sdp";

    static final String[] ALL = {CHROMIUM_OFFER, JANUS_ANSWER, JANUS_VIDEOROOM_OFFER, CHROMIUM_RECVONLY_ANSWER,
        FIREFOX_OFFER};

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sdp parse(String name) {
        try {
            return Sdp.parse(read(name));
        } catch (SdpException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
