package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the EchoTest lets the client choose about its answer (plugins.md §1.1: {@code audio},
 * {@code video}, {@code audiocodec}, {@code videocodec}, {@code videoprofile}, {@code opusred}),
 * plus what Janus decides on its own (RFC 4588 rtx, which RTP header extensions to keep).
 *
 * @param audio        answer audio m-lines; false rejects them (port 0)
 * @param video        answer video m-lines; false rejects them
 * @param audioCodecs  codec names in order of preference ({@code opus}, {@code pcmu} ...); empty = the
 *                     first offered codec Portunus supports, in the offer's order
 * @param videoCodecs  same for video ({@code vp8}, {@code vp9}, {@code h264}, {@code av1}, {@code h265})
 * @param videoProfile H.264 {@code profile-level-id} or VP9 {@code profile-id} to prefer, or null
 * @param rtx          answer the offered rtx payload type of the chosen video codec (RFC 4588)
 * @param opusRed      answer RED for Opus (RFC 2198) when offered
 * @param extmaps      URIs of the header extensions to keep (RFC 8285); others are dropped
 */
public record AnswerOptions(boolean audio, boolean video, List<String> audioCodecs, List<String> videoCodecs,
                            String videoProfile, boolean rtx, boolean opusRed, Set<String> extmaps) {

    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    public static final String PLAYOUT_DELAY = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /** The extensions Janus keeps in its answers by default (abs-send-time only when asked). */
    public static final Set<String> DEFAULT_EXTMAPS =
            Set.of(AUDIO_LEVEL, TRANSPORT_CC, MID, RID, REPAIRED_RID, VIDEO_ORIENTATION, PLAYOUT_DELAY);

    public AnswerOptions {
        audioCodecs = normalize(audioCodecs);
        videoCodecs = normalize(videoCodecs);
        extmaps = Set.copyOf(extmaps == null ? DEFAULT_EXTMAPS : extmaps);
    }

    /** Janus's defaults: audio and video, first supported offered codec (opus, vp8 for browsers), rtx, no RED. */
    public static AnswerOptions defaults() {
        return new AnswerOptions(true, true, List.of(), List.of(), null, true, false, DEFAULT_EXTMAPS);
    }

    public AnswerOptions withAudio(boolean on) {
        return new AnswerOptions(on, video, audioCodecs, videoCodecs, videoProfile, rtx, opusRed, extmaps);
    }

    public AnswerOptions withVideo(boolean on) {
        return new AnswerOptions(audio, on, audioCodecs, videoCodecs, videoProfile, rtx, opusRed, extmaps);
    }

    /** The EchoTest's {@code audiocodec}: one name or a comma-separated list; null or empty for no preference. */
    public AnswerOptions withAudioCodec(String codecs) {
        return new AnswerOptions(audio, video, split(codecs), videoCodecs, videoProfile, rtx, opusRed, extmaps);
    }

    /** The EchoTest's {@code videocodec}: one name or a comma-separated list; null or empty for no preference. */
    public AnswerOptions withVideoCodec(String codecs) {
        return new AnswerOptions(audio, video, audioCodecs, split(codecs), videoProfile, rtx, opusRed, extmaps);
    }

    public AnswerOptions withVideoProfile(String profile) {
        return new AnswerOptions(audio, video, audioCodecs, videoCodecs, profile, rtx, opusRed, extmaps);
    }

    public AnswerOptions withRtx(boolean on) {
        return new AnswerOptions(audio, video, audioCodecs, videoCodecs, videoProfile, on, opusRed, extmaps);
    }

    public AnswerOptions withOpusRed(boolean on) {
        return new AnswerOptions(audio, video, audioCodecs, videoCodecs, videoProfile, rtx, on, extmaps);
    }

    public AnswerOptions withExtmaps(Set<String> uris) {
        return new AnswerOptions(audio, video, audioCodecs, videoCodecs, videoProfile, rtx, opusRed, uris);
    }

    /** Adds or removes abs-send-time, which Janus negotiates only when asked. */
    public AnswerOptions withAbsSendTime(boolean on) {
        Set<String> uris = new LinkedHashSet<>(extmaps);
        if (on) {
            uris.add(ABS_SEND_TIME);
        } else {
            uris.remove(ABS_SEND_TIME);
        }
        return withExtmaps(uris);
    }

    private static List<String> split(String codecs) {
        List<String> out = new ArrayList<>();
        if (codecs != null) {
            for (String c : codecs.split(",")) {
                if (!c.isBlank()) {
                    out.add(c.trim());
                }
            }
        }
        return out;
    }

    private static List<String> normalize(List<String> names) {
        return names == null ? List.of() : names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
