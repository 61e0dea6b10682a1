package io.portunus.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.Json;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtcp.TransportFeedback;
import io.portunus.media.rtp.RtpExtensions;
import io.portunus.media.rtp.TransportCcRecorder;
import io.portunus.media.sdp.AnswerOptions;
import io.portunus.media.sdp.MediaSection;
import io.portunus.media.sdp.Sdp;

import java.util.List;

/**
 * Transport-wide congestion control for one PeerConnection, as Janus does it: when the answer
 * kept the transport-wide sequence number extension, every incoming RTP packet's number and
 * arrival time is recorded and reported back as transport feedback every {@code twcc_period};
 * the peer's own transport feedback (about what we send) is parsed and counted, not acted on.
 * Recording and feedback run on the PeerConnection's I/O thread; the counters are read by the
 * Admin API.
 */
final class TransportCc {
    private final TransportCcRecorder recorder = new TransportCcRecorder();
    /** The negotiated extension id, or -1 when transport-cc is not in use. */
    private volatile int extensionId = -1;
    private volatile long feedbackSent;
    private volatile long feedbackReceived;
    private volatile long feedbackMalformed;
    /** Our own transport-wide sequence numbers on what we send (forwarded legs), one counter per PeerConnection. */
    private int nextSendSequence;
    private volatile long sequencesSent;
    /** What the peer's feedback said about our numbered packets: reported received, reported lost. */
    private volatile long reportedReceived;
    private volatile long reportedLost;

    /** Takes the extension id from the answer (one id for the whole BUNDLE), or turns recording off. */
    void negotiated(Sdp answer) {
        int id = -1;
        for (MediaSection m : answer.media()) {
            if (!m.isRejected() && m.extmapId(AnswerOptions.TRANSPORT_CC) > 0) {
                id = m.extmapId(AnswerOptions.TRANSPORT_CC);
                break;
            }
        }
        extensionId = id;
    }

    boolean enabled() {
        return extensionId > 0;
    }

    /** An incoming RTP packet (plain, before any RTX unwrapping: every packet on the wire counts). */
    void received(byte[] data, int len, long arrivalMicros) {
        int id = extensionId;
        if (id > 0) {
            int sequence = RtpExtensions.uint16(data, 0, len, id);
            if (sequence >= 0) {
                recorder.received(sequence, arrivalMicros);
            }
        }
    }

    /** Feedback packets to send now (none when nothing arrived since the last ones). */
    List<byte[]> feedback(long senderSsrc, long mediaSsrc) {
        if (!enabled()) {
            return List.of();
        }
        List<byte[]> packets = recorder.feedback(senderSsrc, mediaSsrc);
        feedbackSent += packets.size();
        return packets;
    }

    /** The transport-wide sequence number the next packet we send gets (on the loop). */
    int sendSequence() {
        return nextSendSequence;
    }

    /** That number went out in a packet: the next one gets the following (no gap for the peer to report lost). */
    void sequenceSent() {
        nextSendSequence = (nextSendSequence + 1) & 0xFFFF;
        sequencesSent++;
    }

    /**
     * The peer's transport feedback about our packets: consumed here (counted, what it reports
     * received and lost summed up), never passed on: a VideoRoom publisher only hears of its
     * own PeerConnection.
     */
    void feedbackFromPeer(byte[] data, Rtcp.Block block) {
        TransportFeedback.Feedback f = TransportFeedback.parse(data, block);
        if (f != null) {
            feedbackReceived++;
            long received = f.receivedCount();
            reportedReceived += received;
            reportedLost += f.statusCount() - received;
        } else {
            feedbackMalformed++;
        }
    }

    /**
     * {@code handle_info.webrtc.bwe}: Janus's {@code twcc} and {@code twcc-ext-id}, then our own
     * counters (names Janus does not use).
     */
    ObjectNode describe() {
        ObjectNode bwe = Json.object();
        int id = extensionId;
        bwe.put("twcc", id > 0);
        if (id > 0) {
            bwe.put("twcc-ext-id", id);
        }
        bwe.put("twcc-feedback-sent", feedbackSent);
        bwe.put("twcc-feedback-received", feedbackReceived);
        if (feedbackMalformed > 0) {
            bwe.put("twcc-feedback-malformed", feedbackMalformed);
        }
        bwe.put("twcc-late-packets", recorder.late());
        if (sequencesSent > 0) {
            // Only where we number what we send (VideoRoom subscriber legs).
            bwe.put("twcc-sequence-sent", sequencesSent);
            bwe.put("twcc-reported-received", reportedReceived);
            bwe.put("twcc-reported-lost", reportedLost);
        }
        return bwe;
    }
}
