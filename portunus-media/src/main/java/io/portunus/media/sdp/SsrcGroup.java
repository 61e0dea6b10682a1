package io.portunus.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=ssrc-group:<semantics> <ssrc> ...} (RFC 5576 §4.2): {@code FID} pairs a stream with its
 * RFC 4588 retransmission stream (main first, rtx second); {@code SIM} lists legacy simulcast
 * layers; {@code FEC-FR} pairs a stream with its FEC stream.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    static SsrcGroup parse(String value) throws SdpException {
        String[] parts = Attributes.words(value, 0);
        if (parts[0].isEmpty()) {
            throw new SdpException("Invalid ssrc-group: " + value);
        }
        List<Long> ssrcs = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            ssrcs.add(Attributes.parseSsrc(parts[i], "Invalid ssrc-group: " + value));
        }
        return new SsrcGroup(parts[0], ssrcs);
    }

    /** The attribute value, e.g. {@code FID 1926207322 572586335}. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long ssrc : ssrcs) {
            sb.append(' ').append(ssrc);
        }
        return sb.toString();
    }
}
