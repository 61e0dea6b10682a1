package io.portunus.media.ice;

/** The ICE role of an agent (RFC 8445 §6.1.1): the controlling agent nominates pairs. */
public enum IceRole {
    CONTROLLING,
    CONTROLLED;

    /** The name Janus's Admin API uses for {@code ice-role}. */
    public String janusName() {
        return this == CONTROLLING ? "controlling" : "controlled";
    }

    IceRole opposite() {
        return this == CONTROLLING ? CONTROLLED : CONTROLLING;
    }
}
