package io.portunus.media.rtcp;

import java.io.ByteArrayOutputStream;
import java.util.function.IntSupplier;

/**
 * Feedback from a plugin, made fit for one peer stream: sender and media SSRCs rewritten to this
 * leg's, and every key-frame request (PLI or FIR, whichever the plugin used) sent the way the
 * peer negotiated: as a FIR (RFC 5104) when it offered {@code ccm fir} but not {@code nack pli},
 * else as a PLI (RFC 4585). A FIR gets the peer's SSRC in its FCI and the next number of this
 * leg's own FIR sequence: a number relayed from another leg could repeat one the peer already
 * saw, and it would then ignore the request.
 */
public final class KeyFrameRequests {
    private KeyFrameRequests() {
    }

    /**
     * The compound to send; {@code compound} itself, rewritten in place, when it holds no
     * key-frame request that changes size or needs a FIR number, and unchanged when it does not parse.
     */
    public static byte[] towardsPeer(byte[] compound, long localSsrc, long remoteSsrc, boolean useFir,
                                     IntSupplier nextFirSequence) {
        var blocks = Rtcp.blocks(compound, 0, compound.length);
        boolean rebuild = false;
        for (Rtcp.Block block : blocks) {
            rebuild |= isKeyFrameRequest(block) && (useFir || block.format() == Rtcp.FMT_FIR);
        }
        if (!rebuild) {
            for (Rtcp.Block block : blocks) {
                Rtcp.rewriteFeedback(compound, block, localSsrc, remoteSsrc);
            }
            return compound;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(compound.length + 8);
        for (Rtcp.Block block : blocks) {
            if (isKeyFrameRequest(block)) {
                out.writeBytes(useFir ? Rtcp.fir(localSsrc, remoteSsrc, nextFirSequence.getAsInt())
                        : Rtcp.pli(localSsrc, remoteSsrc));
            } else {
                Rtcp.rewriteFeedback(compound, block, localSsrc, remoteSsrc);
                out.write(compound, block.offset(), block.length());
            }
        }
        return out.toByteArray();
    }

    private static boolean isKeyFrameRequest(Rtcp.Block block) {
        return block.type() == Rtcp.PSFB && (block.format() == Rtcp.FMT_PLI || block.format() == Rtcp.FMT_FIR);
    }
}
