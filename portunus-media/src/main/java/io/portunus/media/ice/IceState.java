package io.portunus.media.ice;

import java.util.Locale;

/**
 * The agent's state in Janus's vocabulary (libnice's component states, which Janus reports as
 * {@code webrtc.ice.state} and in events; index 0..5 as in Janus).
 *
 * <ul>
 *   <li>{@link #DISCONNECTED}: nothing has happened yet (or after {@link IceAgent#close()}).</li>
 *   <li>{@link #GATHERING}: local candidates are being added, checks not started.</li>
 *   <li>{@link #CONNECTING}: connectivity checks are running, no pair works yet.</li>
 *   <li>{@link #CONNECTED}: a pair works and is selected for media, not nominated yet.</li>
 *   <li>{@link #READY}: a nominated pair is selected: ICE processing completed (RFC 8445 §8).</li>
 *   <li>{@link #FAILED}: no pair works within the failure timer, or consent was lost (RFC 7675).</li>
 * </ul>
 */
public enum IceState {
    DISCONNECTED,
    GATHERING,
    CONNECTING,
    CONNECTED,
    READY,
    FAILED;

    /** "disconnected", "gathering", "connecting", "connected", "ready", "failed". */
    public String janusName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for CONNECTED and READY: a selected pair exists and media may flow. */
    public boolean isConnected() {
        return this == CONNECTED || this == READY;
    }
}
