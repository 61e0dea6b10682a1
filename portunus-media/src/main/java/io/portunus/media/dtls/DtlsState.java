package io.portunus.media.dtls;

import java.util.Locale;

/** The DTLS states Janus reports in handle_info {@code dtls-state}. */
public enum DtlsState {
    /** Session exists, handshake not started (ICE has no selected pair yet). */
    CREATED,
    /** Handshake running. */
    TRYING,
    /** Handshake done, SRTP keys exported. */
    CONNECTED,
    /** Handshake error, peer alert, fingerprint mismatch or timeout. */
    FAILED;

    /** {@code "created"}, {@code "trying"}, {@code "connected"} or {@code "failed"}. */
    public String janusName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
