package io.portunus.loadtool;

import java.net.InetSocketAddress;

import static io.portunus.loadtool.LoadSession.AUDIO_PT;
import static io.portunus.loadtool.LoadSession.RANDOM;
import static io.portunus.loadtool.LoadSession.VIDEO_PT;

/**
 * The offer a load session sends: Opus and/or VP8 bundled on one socket, DTLS client
 * ({@code setup:active}), its one host candidate, and NACK/PLI/FIR for the video.
 */
final class LoadOffer {
    private final int index;
    private final String fingerprint;
    private final String ip;
    private final int port;
    private final String ufrag;
    private final String pwd;
    private final String candidate;

    LoadOffer(int index, String fingerprint, InetSocketAddress local, String ufrag, String pwd, String candidate) {
        this.index = index;
        this.fingerprint = fingerprint;
        this.ip = local.getAddress().getHostAddress();
        this.port = local.getPort();
        this.ufrag = ufrag;
        this.pwd = pwd;
        this.candidate = candidate;
    }

    /** The SDP with an audio m-line when {@code audioSsrc} is not 0, and a video one when {@code videoSsrc} is not 0. */
    String sdp(long audioSsrc, long videoSsrc) {
        return sdp(audioSsrc, videoSsrc == 0 ? new long[0] : new long[] {videoSsrc}, "sendrecv");
    }

    /** The same with {@code a=<direction>} on each m-line: sendrecv for the EchoTest, sendonly for a VideoRoom publisher. */
    String sdp(long audioSsrc, long[] videoSsrcs, String direction) {
        boolean audio = audioSsrc != 0;
        boolean video = videoSsrcs.length > 0;
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\r\n");
        sb.append("o=- ").append(RANDOM.nextLong() & Long.MAX_VALUE).append(" 2 IN IP4 ").append(ip).append("\r\n");
        sb.append("s=-\r\nt=0 0\r\n");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        int mid = 0;
        if (audio) {
            bundle.append(' ').append(mid++);
        }
        if (video) {
            bundle.append(' ').append(mid);
        }
        sb.append(bundle).append("\r\n");
        sb.append("a=msid-semantic: WMS load").append(index).append("\r\n");
        mid = 0;
        if (audio) {
            media(sb, "audio", mid++, AUDIO_PT, "opus/48000/2", new long[] {audioSsrc}, direction);
            sb.append("a=fmtp:").append(AUDIO_PT).append(" minptime=10;useinbandfec=1\r\n");
            candidates(sb);
        }
        if (video) {
            media(sb, "video", mid, VIDEO_PT, "VP8/90000", videoSsrcs, direction);
            sb.append("a=rtcp-fb:").append(VIDEO_PT).append(" ccm fir\r\n");
            sb.append("a=rtcp-fb:").append(VIDEO_PT).append(" nack\r\n");
            sb.append("a=rtcp-fb:").append(VIDEO_PT).append(" nack pli\r\n");
            candidates(sb);
        }
        return sb.toString();
    }

    /** One m-line; several SSRCs are simulcast layers, lowest first, in an {@code ssrc-group:SIM} (as Chrome's). */
    private void media(StringBuilder sb, String kind, int mid, int pt, String rtpmap, long[] ssrcs, String direction) {
        sb.append("m=").append(kind).append(' ').append(port).append(" UDP/TLS/RTP/SAVPF ").append(pt).append("\r\n");
        sb.append("c=IN IP4 ").append(ip).append("\r\n");
        sb.append("a=rtcp:").append(port).append(" IN IP4 ").append(ip).append("\r\n");
        sb.append("a=ice-ufrag:").append(ufrag).append("\r\n");
        sb.append("a=ice-pwd:").append(pwd).append("\r\n");
        sb.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
        sb.append("a=setup:active\r\n");
        sb.append("a=mid:").append(mid).append("\r\n");
        sb.append("a=").append(direction).append("\r\n");
        sb.append("a=msid:load").append(index).append(' ').append(kind).append(index).append("\r\n");
        sb.append("a=rtcp-mux\r\n");
        sb.append("a=rtpmap:").append(pt).append(' ').append(rtpmap).append("\r\n");
        if (ssrcs.length > 1) {
            sb.append("a=ssrc-group:SIM");
            for (long ssrc : ssrcs) {
                sb.append(' ').append(ssrc);
            }
            sb.append("\r\n");
        }
        for (long ssrc : ssrcs) {
            sb.append("a=ssrc:").append(ssrc).append(" cname:load").append(index).append("\r\n");
            sb.append("a=ssrc:").append(ssrc).append(" msid:load").append(index).append(' ').append(kind).append(index)
                    .append("\r\n");
        }
    }

    private void candidates(StringBuilder sb) {
        sb.append("a=candidate:").append(candidate).append("\r\n");
        sb.append("a=end-of-candidates\r\n");
    }
}
