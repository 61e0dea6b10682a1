package io.portunus.fuzz;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.jcfg.JcfgException;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Json;
import io.portunus.media.dtls.DtlsFramingProbe;
import io.portunus.media.ice.StunPacket;
import io.portunus.media.rtcp.KeyFrameRequests;
import io.portunus.media.rtcp.Remb;
import io.portunus.media.rtcp.Rtcp;
import io.portunus.media.rtcp.TransportFeedback;
import io.portunus.media.rtp.RtpExtensions;
import io.portunus.media.rtp.RtpHeader;
import io.portunus.media.rtp.Vp8Descriptor;
import io.portunus.media.sdp.Sdp;
import io.portunus.media.sdp.SdpException;
import io.portunus.net.sp.SpCodec;
import io.portunus.net.sp.SpException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The fuzz targets (issue #14): one per parser that reads bytes from the network or a file.
 * Each takes arbitrary bytes; a declared failure (SdpException, JcfgException, SpException, a
 * null or "not valid" answer) is fine, anything else thrown is a finding. Used by
 * {@link ParserFuzzTest} (Jazzer in JUnit: the seed and crash corpus in the Maven suite) and
 * {@link FuzzMain} (Jazzer's command line, bench/fuzz/run.sh).
 */
public final class FuzzTargets {
    private FuzzTargets() {
    }

    /** The names bench/fuzz/run.sh passes as -Dportunus.fuzz.target. */
    public static Consumer<byte[]> byName(String name) {
        return switch (name) {
            case "janus_api" -> FuzzTargets::janusApi;
            case "admin_api" -> FuzzTargets::adminApi;
            case "jcfg" -> FuzzTargets::jcfg;
            case "sdp" -> FuzzTargets::sdp;
            case "stun" -> FuzzTargets::stun;
            case "dtls_record" -> FuzzTargets::dtlsRecord;
            case "rtp" -> FuzzTargets::rtp;
            case "rtcp" -> FuzzTargets::rtcp;
            case "sp_codec" -> FuzzTargets::spCodec;
            default -> throw new IllegalArgumentException("unknown fuzz target " + name);
        };
    }

    public static final String[] NAMES = {"janus_api", "admin_api", "jcfg", "sdp", "stun", "dtls_record", "rtp", "rtcp",
            "sp_codec"};

    public static void janusApi(byte[] data) {
        JsonNode request = json(data);
        if (request != null) {
            ApiUnderFuzz.get().janus(request);
        }
    }

    public static void adminApi(byte[] data) {
        JsonNode request = json(data);
        if (request != null) {
            ApiUnderFuzz.get().admin(request);
        }
    }

    /** The transports parse JSON with Jackson and hand any value on; unparsable text never reaches the API. */
    private static JsonNode json(byte[] data) {
        try {
            return Json.MAPPER.readTree(data);
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    public static void jcfg(byte[] data) {
        try {
            JcfgParser.parseString(new String(data, StandardCharsets.UTF_8), "fuzz.jcfg");
        } catch (JcfgException expected) {
            // a syntax error, reported with its line
        }
    }

    public static void sdp(byte[] data) {
        try {
            Sdp sdp = Sdp.parse(new String(data, StandardCharsets.UTF_8));
            sdp.iceUfrag();
            sdp.icePwd();
            sdp.fingerprint();
            sdp.setup();
            sdp.media().forEach(m -> {
                m.mid();
                m.mainSsrc();
                m.isRejected();
            });
            Sdp.parse(sdp.write());
        } catch (SdpException expected) {
            // refused with the reason a client sees in its 465/469
        }
    }

    public static void stun(byte[] data) {
        StunPacket p = StunPacket.parse(data, 0, data.length);
        if (p == null) {
            return;
        }
        p.type();
        p.transactionId();
        p.username();
        p.priority();
        p.useCandidate();
        p.iceControlling();
        p.iceControlled();
        p.errorCode();
        p.mappedAddress();
        if (p.hasFingerprint()) {
            p.fingerprintValid();
        }
        if (p.hasIntegrity()) {
            p.integrityValid(StunPacket.shortTermKey("fuzz-password"));
        }
    }

    public static void dtlsRecord(byte[] data) {
        DtlsFramingProbe.plausible(data);
    }

    public static void rtp(byte[] data) {
        int len = data.length;
        if (!RtpHeader.isRtpOrRtcp(data, 0, len) || RtpHeader.isRtcp(data, 0, len) || !RtpHeader.isValidRtp(data, 0, len)) {
            return;
        }
        RtpHeader.sequence(data, 0);
        RtpHeader.timestamp(data, 0);
        RtpHeader.ssrc(data, 0);
        int payload = RtpHeader.payloadOffset(data, 0, len);
        int payloadLength = RtpHeader.payloadLength(data, 0, len);
        for (int id = 1; id <= 14; id++) {
            RtpExtensions.find(data, 0, len, id);
            RtpExtensions.string(data, 0, len, id);
            RtpExtensions.uint16(data, 0, len, id);
        }
        if (payload >= 0 && payloadLength > 0 && payload + payloadLength <= len) {
            Vp8Descriptor d = Vp8Descriptor.parse(data, payload, payloadLength);
            if (d != null) {
                d.rewrite(Arrays.copyOf(data, len), payload, 1234, 56);
            }
        }
    }

    public static void rtcp(byte[] data) {
        for (Rtcp.Block block : Rtcp.blocks(data, 0, data.length)) {
            Rtcp.senderSsrc(data, block);
            if (block.type() == Rtcp.RTPFB || block.type() == Rtcp.PSFB) {
                Rtcp.mediaSsrc(data, block);
            }
            if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_NACK) {
                Rtcp.nackedSequences(data, block);
            }
            if (block.type() == Rtcp.RTPFB && block.format() == Rtcp.FMT_TWCC) {
                TransportFeedback.parse(data, block);
            }
            if (block.type() == Rtcp.PSFB && block.format() == Rtcp.FMT_AFB && Remb.isRemb(data, block)) {
                Remb.bitrate(data, block);
                Remb.ssrcs(data, block);
                Remb.cap(Arrays.copyOf(data, data.length), block, 500_000);
            }
            if (block.type() == Rtcp.PSFB && block.format() == Rtcp.FMT_FIR) {
                Rtcp.firEntries(data, block);
            }
            if (block.type() == Rtcp.BYE) {
                Rtcp.byeSsrcs(data, block);
                Rtcp.byeReason(data, block);
            }
        }
        KeyFrameRequests.towardsPeer(Arrays.copyOf(data, data.length), 1, 2, true, () -> 7);
    }

    /** Both framings (TCP and IPC), the bytes fed in two pieces as they may arrive. */
    public static void spCodec(byte[] data) {
        for (boolean ipc : new boolean[] {false, true}) {
            SpCodec codec = new SpCodec(SpCodec.SUB, ipc, 4096);
            int cut = data.length == 0 ? 0 : (data[0] & 0xFF) % (data.length + 1);
            try {
                codec.feed(ByteBuffer.wrap(data, 0, cut), m -> { });
                codec.feed(ByteBuffer.wrap(data, cut, data.length - cut), m -> { });
                codec.idle();
            } catch (SpException expected) {
                // the connection is closed
            }
        }
    }

    /** A request with no "janus" object fields is still a valid JSON value: only objects get far. */
    static ObjectNode asObject(JsonNode n) {
        return n instanceof ObjectNode o ? o : null;
    }
}
