package io.portunus.loadtool;

import io.portunus.media.sdp.Codec;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;

import java.net.InetSocketAddress;

import static io.portunus.loadtool.LoadSession.RANDOM;

/**
 * A VideoRoom subscriber's answer to the server's offer: each audio or video m-line accepted
 * receive-only with its first payload type (the codec the room forwards, no RTX), everything else
 * rejected; bundled on the session's one socket, DTLS client ({@code setup:active}), its host
 * candidate.
 */
final class SubscriberAnswer {
    private SubscriberAnswer() {
    }

    static String write(Sdp offer, int index, String fingerprint, InetSocketAddress local, String ufrag, String pwd,
                        String candidate) {
        String ip = local.getAddress().getHostAddress();
        int port = local.getPort();
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        StringBuilder media = new StringBuilder();
        for (MediaSection m : offer.media()) {
            String mid = m.mid();
            boolean accept = !m.isRejected() && !m.formats().isEmpty() && m.isRtp()
                    && (m.type().equals("audio") || m.type().equals("video"));
            if (!accept) {
                media.append("m=").append(m.type()).append(" 0 ").append(m.protocol()).append(' ')
                        .append(m.formats().isEmpty() ? "0" : m.formats().get(0)).append("\r\n");
                media.append("c=IN IP4 0.0.0.0\r\n");
                if (mid != null) {
                    media.append("a=mid:").append(mid).append("\r\n");
                }
                continue;
            }
            if (mid != null) {
                bundle.append(' ').append(mid);
            }
            String pt = m.formats().get(0);
            media.append("m=").append(m.type()).append(' ').append(port).append(" UDP/TLS/RTP/SAVPF ").append(pt)
                    .append("\r\n");
            media.append("c=IN IP4 ").append(ip).append("\r\n");
            media.append("a=rtcp:").append(port).append(" IN IP4 ").append(ip).append("\r\n");
            media.append("a=ice-ufrag:").append(ufrag).append("\r\n");
            media.append("a=ice-pwd:").append(pwd).append("\r\n");
            media.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
            media.append("a=setup:active\r\n");
            if (mid != null) {
                media.append("a=mid:").append(mid).append("\r\n");
            }
            media.append("a=recvonly\r\n");
            media.append("a=rtcp-mux\r\n");
            Codec codec = m.codec(Integer.parseInt(pt));
            if (codec != null) {
                media.append("a=rtpmap:").append(pt).append(' ').append(codec.toSdpValue()).append("\r\n");
            }
            String fmtp = m.fmtp(Integer.parseInt(pt));
            if (fmtp != null) {
                media.append("a=fmtp:").append(pt).append(' ').append(fmtp).append("\r\n");
            }
            media.append("a=candidate:").append(candidate).append("\r\n");
            media.append("a=end-of-candidates\r\n");
        }
        return "v=0\r\n"
                + "o=- " + (RANDOM.nextLong() & Long.MAX_VALUE) + " 2 IN IP4 " + ip + "\r\n"
                + "s=-\r\nt=0 0\r\n"
                + bundle + "\r\n"
                + "a=msid-semantic: WMS\r\n"
                + media;
    }
}
