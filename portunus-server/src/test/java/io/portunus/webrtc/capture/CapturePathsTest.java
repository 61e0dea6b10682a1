package io.portunus.webrtc.capture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Captures stay inside the capture root: traversal, absolute paths, links out, existing files, protected folders. */
class CapturePathsTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    CapturePaths paths;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("captures");
        outside = Files.createDirectories(tmp.resolve("outside"));
        paths = new CapturePaths(root, List.of(tmp.resolve("captures/protected").toString()));
    }

    private Path create(String folder, String filename) throws Exception {
        CapturePaths.Opened o = paths.create(folder, filename, CaptureFormat.PCAP);
        o.channel().close();
        return o.file();
    }

    @Test
    void relativeAndInsideAbsoluteFoldersAreCreatedUnderTheRoot() throws Exception {
        Path a = create("calls/today", "a.pcap");
        assertThat(a).isEqualTo(root.toRealPath().resolve("calls/today/a.pcap"));
        assertThat(Files.exists(a)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.getParent()))).isEqualTo("rwxr-xr-x");
        Path b = create(root.resolve("abs").toString(), "b.pcap");
        assertThat(b.getParent()).isEqualTo(root.toRealPath().resolve("abs"));
        Path c = create(null, null);
        assertThat(c.getParent()).isEqualTo(root.toRealPath());
        assertThat(c.getFileName().toString()).matches("janus-text2pcap-\\d+\\.pcap");
        assertThat(paths.create(null, null, CaptureFormat.TEXT2PCAP).file().getFileName().toString())
                .matches("janus-text2pcap-\\d+\\.txt");
    }

    @Test
    void traversalIsRefused() {
        assertThatThrownBy(() -> create("../outside", "x.pcap")).isInstanceOf(CapturePaths.Refused.class)
                .hasMessageContaining("'..' is not allowed");
        assertThatThrownBy(() -> create("calls/../../outside", "x.pcap")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> create(root + "/../outside", "x.pcap")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> create("calls", "../x.pcap")).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> create("calls", "..")).hasMessageContaining("plain file name");
        assertThat(outside.resolve("x.pcap")).doesNotExist();
    }

    @Test
    void absoluteFoldersOutsideTheRootAreRefused() {
        assertThatThrownBy(() -> create(outside.toString(), "x.pcap")).hasMessageContaining("outside the capture root");
        assertThatThrownBy(() -> create("/etc", "x.pcap")).hasMessageContaining("outside the capture root");
        assertThatThrownBy(() -> create(tmp + "/captures-evil", "x.pcap")).hasMessageContaining("outside the capture root");
        assertThat(outside.resolve("x.pcap")).doesNotExist();
    }

    @Test
    void symlinksLeadingOutAreRefused() throws Exception {
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertThatThrownBy(() -> create("link", "x.pcap")).hasMessageContaining("leads outside the capture root");
        assertThatThrownBy(() -> create("link/deeper", "x.pcap")).hasMessageContaining("leads outside the capture root");
        assertThat(outside.resolve("deeper")).doesNotExist();
        // A link in place of the file itself is not followed.
        Files.createSymbolicLink(root.resolve("planted.pcap"), outside.resolve("victim.pcap"));
        assertThatThrownBy(() -> create(null, "planted.pcap")).hasMessageContaining("already exists");
        assertThat(outside.resolve("victim.pcap")).doesNotExist();
        // A link that stays inside is fine.
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("inside"), root.resolve("real"));
        assertThat(create("inside", "ok.pcap")).isEqualTo(root.toRealPath().resolve("real/ok.pcap"));
    }

    @Test
    void existingFilesAreNeverOverwritten() throws Exception {
        Path first = create("calls", "same.pcap");
        Files.writeString(first, "keep me");
        assertThatThrownBy(() -> create("calls", "same.pcap")).hasMessageContaining("already exists");
        assertThat(Files.readString(first)).isEqualTo("keep me");
    }

    @Test
    void protectedFoldersAreRefused() throws Exception {
        assertThatThrownBy(() -> create("protected", "x.pcap")).hasMessageContaining("protected folder");
        assertThatThrownBy(() -> create("protected/sub", "x.pcap")).hasMessageContaining("protected folder");
        assertThat(root.resolve("protected")).doesNotExist();
        // A root inside a protected folder (e.g. /etc in Debian's list) refuses everything.
        CapturePaths inEtc = new CapturePaths(tmp.resolve("etc/captures"), List.of(tmp.resolve("etc").toString()));
        assertThatThrownBy(() -> inEtc.create(null, "x.pcap", CaptureFormat.PCAP)).hasMessageContaining("protected folder");
    }

    @Test
    void notAFolderIsRefused() throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("file"), "x");
        assertThatThrownBy(() -> create("file", "x.pcap")).hasMessageContaining("not a folder");
    }
}
