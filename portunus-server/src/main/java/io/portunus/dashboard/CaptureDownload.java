package io.portunus.dashboard;

import io.portunus.core.spi.OperatorRoutes.Answer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished (or running) packet capture, handed to the dashboard's download link. Only files
 * under the capture root ({@code general.captures_folder}, where {@code start_pcap} may write)
 * are served, symbolic links resolved first, and only up to {@link #MAX_BYTES}: the file is read
 * into memory on the Admin server's own I/O thread (operators' requests wait meanwhile; client
 * and media threads never do), so the cap keeps that pause short.
 */
final class CaptureDownload {
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private final Path root;

    /** @param capturesFolder {@code general.captures_folder}, or null for {@code ./captures} (as the captures use) */
    CaptureDownload(String capturesFolder) {
        this.root = Path.of(capturesFolder == null || capturesFolder.isEmpty() ? "captures" : capturesFolder)
                .toAbsolutePath().normalize();
    }

    Answer serve(String file) {
        if (file == null || file.isEmpty()) {
            return error(400, "name the capture file");
        }
        try {
            Path realRoot = root.toRealPath();
            Path target = root.resolve(file).normalize().toRealPath();
            if (!target.startsWith(realRoot) || !Files.isRegularFile(target)) {
                return error(404, "no such capture under the capture root");
            }
            if (Files.size(target) > MAX_BYTES) {
                return error(413, "capture larger than " + MAX_BYTES + " bytes: fetch it from the server's disk");
            }
            String type = target.toString().endsWith(".pcap") ? "application/vnd.tcpdump.pcap" : "text/plain; charset=utf-8";
            return new Answer(200, type, Files.readAllBytes(target));
        } catch (IOException e) {
            return error(404, "no such capture under the capture root");
        }
    }

    private static Answer error(int status, String message) {
        return new Answer(status, "application/json",
                ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
