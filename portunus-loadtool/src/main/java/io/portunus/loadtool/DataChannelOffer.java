package io.portunus.loadtool;

import java.net.InetSocketAddress;

/** The load tool's data-channel offer: one m=application line, our ICE credentials, fingerprint and host candidate. */
final class DataChannelOffer {
    private DataChannelOffer() {
    }

    /** Only a data channel m-line, as a browser's offer for a data-only PeerConnection. */
    static String sdp(InetSocketAddress localAddress, String ufrag, String pwd, String fingerprint,
                      String candidate) {
        String ip = localAddress.getAddress().getHostAddress();
        return "v=0\r\n"
                + "o=- " + (LoadSession.RANDOM.nextLong() & Long.MAX_VALUE) + " 2 IN IP4 " + ip + "\r\n"
                + "s=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=msid-semantic: WMS\r\n"
                + "m=application " + localAddress.getPort() + " UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 " + ip + "\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + pwd + "\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\n"
                + "a=setup:active\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n"
                + "a=candidate:" + candidate + "\r\n"
                + "a=end-of-candidates\r\n";
    }
}
