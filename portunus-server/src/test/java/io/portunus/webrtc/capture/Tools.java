package io.portunus.webrtc.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's tshark and text2pcap, run on capture files. */
final class Tools {
    private Tools() {
    }

    static boolean have(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("tool", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text + errors);
        }
        return text;
    }

    /** The text2pcap command line media.md §7 gives for Janus's text dumps. */
    static Path text2pcap(Path txt) throws IOException, InterruptedException {
        Path out = txt.resolveSibling(txt.getFileName() + ".pcapng");
        run("text2pcap", "-q", "-D", "-n", "-l", "1", "-i", "17", "-u", "1000,2000", "-t", "%H:%M:%S.",
                txt.toString(), out.toString());
        return out;
    }

    /** One decoded packet: UDP ports, RTP SSRC/PT (or -1), RTCP packet types (or empty), frame length. */
    record Decoded(int srcPort, int dstPort, long ssrc, int pt, String rtcpTypes, int frameLen, int capLen) {
    }

    /** Every packet of a capture, decoded with RTP and RTCP heuristics on (RTP and RTCP share the ports). */
    static List<Decoded> decode(Path file) throws IOException, InterruptedException {
        String text = run("tshark", "-n", "-r", file.toString(), "--enable-heuristic", "rtp_udp",
                "--enable-heuristic", "rtcp_udp", "-T", "fields", "-E", "separator=;",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "rtp.ssrc", "-e", "rtp.p_type", "-e", "rtcp.pt",
                "-e", "frame.len", "-e", "frame.cap_len");
        List<Decoded> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(";", -1);
            out.add(new Decoded(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    f[2].isEmpty() ? -1 : Long.decode(f[2]), f[3].isEmpty() ? -1 : Integer.parseInt(f[3]),
                    f[4], Integer.parseInt(f[5]), Integer.parseInt(f[6])));
        }
        return out;
    }
}
