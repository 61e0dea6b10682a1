package io.portunus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handle's WebRTC state flags, named and ordered as in Janus's {@code handle_info}
 * (admin-api.md §4.1). The media core sets them as a PeerConnection is negotiated and torn
 * down; the Admin API only reads them.
 */
public final class HandleFlags {
    /** In {@code handle_info} order. */
    public enum Flag {
        GOT_OFFER("got-offer"), GOT_ANSWER("got-answer"), NEGOTIATED("negotiated"),
        PROCESSING_OFFER("processing-offer"), STARTING("starting"), ICE_RESTART("ice-restart"), READY("ready"),
        STOPPED("stopped"), ALERT("alert"), TRICKLE("trickle"), ALL_TRICKLES("all-trickles"),
        RESEND_TRICKLES("resend-trickles"), TRICKLE_SYNCED("trickle-synced"), DATA_CHANNELS("data-channels"),
        HAS_AUDIO("has-audio"), HAS_VIDEO("has-video"), NEW_DATACHAN_SDP("new-datachan-sdp"),
        RFC4588_RTX("rfc4588-rtx"), CLEANING("cleaning"), E2EE("e2ee");

        private final String key;

        Flag(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final AtomicInteger bits = new AtomicInteger();

    public boolean get(Flag f) {
        return (bits.get() & (1 << f.ordinal())) != 0;
    }

    public void set(Flag f, boolean on) {
        int mask = 1 << f.ordinal();
        bits.updateAndGet(b -> on ? b | mask : b & ~mask);
    }

    /** Writes {@code "flags":{...}} with every flag, set or not. */
    public void describe(ObjectNode parent) {
        ObjectNode o = parent.putObject("flags");
        int b = bits.get();
        for (Flag f : Flag.values()) {
            o.put(f.key(), (b & (1 << f.ordinal())) != 0);
        }
    }
}
