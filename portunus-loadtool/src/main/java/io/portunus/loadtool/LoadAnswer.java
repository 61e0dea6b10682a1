package io.portunus.loadtool;

import io.portunus.media.sdp.Candidate;
import io.portunus.media.sdp.Fingerprint;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;

import java.util.ArrayList;
import java.util.List;

import static io.portunus.loadtool.LoadSession.AUDIO_PT;
import static io.portunus.loadtool.LoadSession.VIDEO_PT;

/**
 * What a load session needs from the server's answer: ICE credentials and fingerprint (session
 * level, else the first m-line's), the payload type of each accepted medium (-1 when rejected or
 * absent), the remote candidates as {@code candidate:...} lines and whether they were all given.
 */
record LoadAnswer(String ufrag, String pwd, Fingerprint fingerprint, int audioPt, int videoPt,
                  List<String> candidates, boolean endOfCandidates) {

    static LoadAnswer read(Sdp answer) {
        String ufrag = answer.iceUfrag();
        String pwd = answer.icePwd();
        Fingerprint fp = answer.fingerprint();
        int audioPt = -1;
        int videoPt = -1;
        boolean endOfCandidates = false;
        List<String> candidates = new ArrayList<>();
        for (MediaSection m : answer.media()) {
            if (ufrag == null) {
                ufrag = m.iceUfrag();
                pwd = m.icePwd();
            }
            if (fp == null) {
                fp = m.fingerprint();
            }
            boolean accepted = !m.isRejected() && !m.formats().isEmpty();
            if (m.type().equals("audio") && accepted) {
                audioPt = payloadType(m, AUDIO_PT);
            } else if (m.type().equals("video") && accepted) {
                videoPt = payloadType(m, VIDEO_PT);
            }
            for (Candidate c : m.candidates()) {
                candidates.add("candidate:" + c.toSdpValue());
            }
            endOfCandidates |= m.endOfCandidates();
        }
        return new LoadAnswer(ufrag, pwd, fp, audioPt, videoPt, candidates, endOfCandidates);
    }

    private static int payloadType(MediaSection m, int fallback) {
        try {
            return Integer.parseInt(m.formats().get(0));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
