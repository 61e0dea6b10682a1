package io.portunus.media.dtls;

/**
 * Our side of the DTLS handshake, fixed by the SDP {@code a=setup} exchange (RFC 5763 §5,
 * RFC 4145 §4): the peer offering {@code actpass} or {@code passive} makes us {@code active},
 * i.e. the DTLS client; a peer that is {@code active} makes us {@code passive}, the server.
 */
public enum DtlsRole {
    /** {@code a=setup:active}: we send the ClientHello. */
    CLIENT,
    /** {@code a=setup:passive}: we wait for the ClientHello. */
    SERVER;

    /** The handle_info {@code dtls-role} value: {@code "active"} or {@code "passive"}. */
    public String janusName() {
        return this == CLIENT ? "active" : "passive";
    }

    /**
     * Our role for the peer's {@code a=setup} attribute value (RFC 5763 §5): {@code active} →
     * SERVER, {@code passive}/{@code actpass} → CLIENT. An absent attribute means {@code active}
     * (RFC 4145 §4 default), so {@code null} → SERVER.
     */
    public static DtlsRole forRemoteSetup(String remoteSetup) {
        if (remoteSetup == null) {
            return SERVER;
        }
        String s = remoteSetup.trim();
        return s.equalsIgnoreCase("passive") || s.equalsIgnoreCase("actpass") ? CLIENT : SERVER;
    }
}
