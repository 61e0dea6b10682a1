package io.portunus.webrtc.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The writers' files read by Debian's tools: tshark decodes the pcap (RTP and RTCP, both
 * directions) and text2pcap turns the text dump into a capture tshark decodes the same way.
 */
class CaptureToolsTest {
    static final long PEER_AUDIO = 0x1111AAAAL;
    static final long PEER_VIDEO = 0x2222BBBBL;
    static final long OUR_AUDIO = 0x3333CCCCL;

    @TempDir
    Path dir;

    private Capture capture(CaptureFormat format, String name, int truncate) throws Exception {
        Path file = dir.resolve(name);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Capture(format, file, ch, truncate, 0, 77, 88, 1024, null, null);
    }

    /** 10 audio in, 5 video in, 10 audio out, 2 RR in, 1 PLI out. */
    private static void feed(Capture c) throws InterruptedException {
        long t = CaptureTap.epochMicros();
        for (int i = 0; i < 10; i++) {
            byte[] a = Packets.rtp(111, 100 + i, 960L * i, PEER_AUDIO, 60);
            c.packet(true, false, a, 0, a.length, t + i * 20_000L);
            byte[] o = Packets.rtp(111, 500 + i, 960L * i, OUR_AUDIO, 60);
            c.packet(false, false, o, 0, o.length, t + i * 20_000L + 1);
            if (i < 5) {
                byte[] v = Packets.rtp(96, 7000 + i, 3000L * i, PEER_VIDEO, 900);
                c.packet(true, false, v, 0, v.length, t + i * 20_000L + 2);
            }
        }
        byte[] rr = Packets.rr(PEER_AUDIO);
        c.packet(true, true, rr, 0, rr.length, t + 300_000);
        c.packet(true, true, rr, 0, rr.length, t + 400_000);
        byte[] pli = Packets.pli(OUR_AUDIO, PEER_VIDEO);
        c.packet(false, true, pli, 0, pli.length, t + 500_000);
        c.stop();
        assertThat(c.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void checkDecoded(List<Tools.Decoded> packets, int truncate) {
        assertThat(packets).hasSize(28);
        List<Tools.Decoded> in = packets.stream().filter(p -> p.srcPort() == 1000 && p.dstPort() == 2000).toList();
        List<Tools.Decoded> out = packets.stream().filter(p -> p.srcPort() == 2000 && p.dstPort() == 1000).toList();
        assertThat(in).hasSize(17);
        assertThat(out).hasSize(11);
        if (truncate > 0) {
            return;
        }
        assertThat(in.stream().filter(p -> p.ssrc() == PEER_AUDIO && p.pt() == 111)).hasSize(10);
        assertThat(in.stream().filter(p -> p.ssrc() == PEER_VIDEO && p.pt() == 96)).hasSize(5);
        assertThat(out.stream().filter(p -> p.ssrc() == OUR_AUDIO && p.pt() == 111)).hasSize(10);
        assertThat(in.stream().filter(p -> p.rtcpTypes().equals("201"))).hasSize(2);
        assertThat(out.stream().filter(p -> p.rtcpTypes().equals("206"))).hasSize(1);
    }

    @Test
    void tsharkDecodesThePcapBothWays() throws Exception {
        assumeTrue(Tools.have("tshark"), "tshark not installed");
        Capture c = capture(CaptureFormat.PCAP, "a.pcap", 0);
        feed(c);
        checkDecoded(Tools.decode(c.file()), 0);
    }

    @Test
    void text2pcapConvertsTheTextDumpAndTsharkDecodesIt() throws Exception {
        assumeTrue(Tools.have("tshark") && Tools.have("text2pcap"), "tshark/text2pcap not installed");
        Capture c = capture(CaptureFormat.TEXT2PCAP, "a.txt", 0);
        feed(c);
        assertThat(Files.readAllLines(c.file())).hasSize(28)
                .allMatch(l -> l.matches("[IO] \\d\\d:\\d\\d:\\d\\d\\.\\d{6} 000000 ( [0-9a-f]{2})+ JANUS_TEXT2PCAP_RTC?P \\[session=77]\\[handle=88]"));
        checkDecoded(Tools.decode(Tools.text2pcap(c.file())), 0);
    }

    @Test
    void truncateLimitsTheBytesKeptPerPacket() throws Exception {
        assumeTrue(Tools.have("tshark") && Tools.have("text2pcap"), "tshark/text2pcap not installed");
        Capture pcap = capture(CaptureFormat.PCAP, "t.pcap", 12);
        feed(pcap);
        List<Tools.Decoded> decoded = Tools.decode(pcap.file());
        checkDecoded(decoded, 12);
        // Every frame keeps 42 + at most 12 bytes, and still says how long it really was.
        assertThat(decoded).allMatch(p -> p.capLen() == 42 + Math.min(12, p.frameLen() - 42));
        assertThat(decoded).anyMatch(p -> p.frameLen() == 42 + 12 + 900);
        // 28 records of at most 16 + 42 + 12 bytes after the 24-byte header.
        assertThat(Files.size(pcap.file())).isLessThanOrEqualTo(24 + 28 * (16 + 42 + 12));

        Capture text = capture(CaptureFormat.TEXT2PCAP, "t.txt", 12);
        feed(text);
        assertThat(Files.readAllLines(text.file())).allMatch(l -> l.split(" 000000  ")[1].split(" JANUS")[0].split(" ").length <= 12);
        // text2pcap only knows the kept bytes (and pads to Ethernet's 60-byte minimum); the 12
        // bytes kept are still a whole RTP header.
        List<Tools.Decoded> fromText = Tools.decode(Tools.text2pcap(text.file()));
        assertThat(fromText).hasSize(28).allMatch(p -> p.capLen() <= 60);
        assertThat(fromText.stream().filter(p -> p.ssrc() == PEER_VIDEO && p.pt() == 96)).hasSize(5);
    }
}
