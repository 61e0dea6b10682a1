package io.portunus.media.ice;

import java.util.Arrays;
import java.util.Objects;

/**
 * The short-term credentials of the current ICE generation: our ice-ufrag/ice-pwd and the
 * peer's, with the MESSAGE-INTEGRITY keys derived from the passwords. Checks we send, and the
 * responses to them, are signed with the peer's key; checks we receive, and our answers, with
 * ours (RFC 8445 §7.2.2, RFC 5389 §15.4).
 */
final class IceCredentials {
    private String localUfrag;
    private String localPwd;
    private byte[] localKey;
    private String remoteUfrag;
    private byte[] remoteKey;

    IceCredentials(String localUfrag, String localPwd) {
        setLocal(localUfrag, localPwd);
    }

    void setLocal(String ufrag, String pwd) {
        this.localUfrag = Objects.requireNonNull(ufrag, "ufrag");
        this.localPwd = Objects.requireNonNull(pwd, "pwd");
        this.localKey = StunPacket.shortTermKey(pwd);
    }

    /**
     * Whether these remote credentials differ from ones we already know: the peer restarted ICE
     * (RFC 8445 §9), so what we know about its previous generation is void.
     */
    boolean remoteDiffers(String ufrag, String pwd) {
        return remoteKey != null && (!ufrag.equals(remoteUfrag) || !Arrays.equals(remoteKey, StunPacket.shortTermKey(pwd)));
    }

    void setRemote(String ufrag, String pwd) {
        remoteUfrag = ufrag;
        remoteKey = StunPacket.shortTermKey(pwd);
    }

    /** Our own ICE restart: the peer's next generation brings new credentials. */
    void forgetRemote() {
        remoteKey = null;
        remoteUfrag = null;
    }

    /** Without the peer's password we cannot sign checks, so none are sent. */
    boolean remoteKnown() {
        return remoteKey != null;
    }

    /**
     * Whether a received check is addressed to us: RFC 8445 §7.2.2 USERNAME is
     * "receiver-ufrag:sender-ufrag", so the part before the colon must be our ufrag.
     */
    boolean addressedToUs(String username) {
        int colon = username.indexOf(':');
        String target = colon < 0 ? username : username.substring(0, colon);
        return target.equals(localUfrag);
    }

    /** The USERNAME of our checks (RFC 8445 §7.2.2): the peer's ufrag, a colon, ours. */
    String checkUsername() {
        return remoteUfrag + ":" + localUfrag;
    }

    String localUfrag() {
        return localUfrag;
    }

    String localPwd() {
        return localPwd;
    }

    byte[] localKey() {
        return localKey;
    }

    byte[] remoteKey() {
        return remoteKey;
    }
}
