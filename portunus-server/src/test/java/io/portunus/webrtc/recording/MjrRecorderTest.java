package io.portunus.webrtc.recording;

import io.portunus.core.ManualClock;
import io.portunus.core.spi.MediaRecorder;
import io.portunus.core.spi.StreamRecording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code .mjr} writer's bytes, as Janus 1.1.2 writes them (an audio recording of its
 * VideoRoom begins {@code MJR00002 0045 {"t": "a", "c": "opus", "s": ..., "u": ...} MEET
 * 00000000 0034 <RTP>}), and the recorder's queue: a full queue drops and counts, with time
 * moved by the clock and the writer run by the test (no thread, no sleep).
 */
class MjrRecorderTest {
    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock();

    private static byte[] rtp(int seq, int size) {
        byte[] p = new byte[size];
        p[0] = (byte) 0x80;
        p[1] = 111;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 12; i < size; i++) {
            p[i] = (byte) (seq + i);
        }
        return p;
    }

    @Test
    void headerIsJanusLayout() {
        byte[] h = MjrFormat.header(false, "opus", Map.of(), 1796496624257496L, 1796496624303250L);
        String json = "{\"t\": \"a\", \"c\": \"opus\", \"s\": 1796496624257496, \"u\": 1796496624303250}";
        assertEquals(0x45, json.length(), "the length Janus wrote for this header");
        ByteBuffer expected = ByteBuffer.allocate(10 + json.length());
        expected.put("MJR00002".getBytes(StandardCharsets.US_ASCII)).putShort((short) json.length())
                .put(json.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected.array(), h);

        byte[] v = MjrFormat.header(true, "vp8", Map.of(13, "urn:3gpp:video-orientation"), 1, 2);
        assertEquals("{\"t\": \"v\", \"c\": \"vp8\", \"x\": {\"13\": \"urn:3gpp:video-orientation\"}, \"s\": 1, \"u\": 2}",
                new String(v, 10, v.length - 10, StandardCharsets.US_ASCII));
        assertEquals(v.length - 10, ByteBuffer.wrap(v, 8, 2).getShort());
    }

    @Test
    void writesHeaderThenOneFramePerPacketWithMillisecondsSinceTheFirst() throws Exception {
        MjrRecorder recorder = new MjrRecorder(root, List.of(), clock, 16);
        long created = clock.wallMicros();
        StreamRecording rec = recorder.open("room-1", "videoroom-1-user-2-3-audio-0", false, "opus", Map.of());
        assertEquals("videoroom-1-user-2-3-audio-0.mjr", rec.fileName());
        clock.advance(Duration.ofMillis(46));
        byte[] first = rtp(1, 52);
        rec.rtp(first, 0, first.length);
        clock.advance(Duration.ofMillis(17));
        byte[] padded = new byte[100];
        byte[] second = rtp(2, 54);
        System.arraycopy(second, 0, padded, 30, second.length);
        rec.rtp(padded, 30, second.length);
        assertEquals(1, recorder.writeReady(), "one recording had packets");
        rec.close();
        recorder.writeReady();
        assertEquals(0, recorder.openRecordings(), "closed once its queue was written");

        byte[] file = Files.readAllBytes(root.resolve("room-1/videoroom-1-user-2-3-audio-0.mjr"));
        byte[] header = MjrFormat.header(false, "opus", Map.of(), created, created + 46_000);
        ByteBuffer expected = ByteBuffer.allocate(header.length + 2 * 10 + 52 + 54);
        expected.put(header);
        expected.put("MEET".getBytes(StandardCharsets.US_ASCII)).putInt(0).putShort((short) 52).put(first);
        expected.put("MEET".getBytes(StandardCharsets.US_ASCII)).putInt(17).putShort((short) 54).put(second);
        assertArrayEquals(expected.array(), file);
        assertEquals(0, rec.dropped());
    }

    @Test
    void fullQueueDropsAndCountsWithoutWaiting() throws Exception {
        MjrRecorder recorder = new MjrRecorder(root, List.of(), clock, 4);
        long created = clock.wallMicros();
        StreamRecording rec = recorder.open(null, "slow-disk-video-1", true, "vp8", Map.of());
        for (int i = 0; i < 10; i++) {
            byte[] p = rtp(i, 200);
            rec.rtp(p, 0, p.length); // the writer is not running: the queue fills
            clock.advance(Duration.ofMillis(10));
        }
        assertEquals(6, rec.dropped(), "4 queued, 6 dropped");
        recorder.writeReady();
        MjrRecording mjr = (MjrRecording) rec;
        assertEquals(4, mjr.frames());
        // The writer caught up: packets are taken again.
        byte[] p = rtp(10, 200);
        rec.rtp(p, 0, p.length);
        rec.close();
        rec.rtp(p, 0, p.length); // after close: ignored, not counted
        recorder.writeReady();
        assertEquals(5, mjr.frames());
        assertEquals(6, rec.dropped());
        long size = Files.size(root.resolve("slow-disk-video-1.mjr"));
        assertEquals(MjrFormat.header(true, "vp8", Map.of(), created, created).length + 5 * (10 + 200), size);
    }

    @Test
    void pathsAreConfinedToTheRootAndNoFileIsOverwritten() throws Exception {
        MjrRecorder recorder = new MjrRecorder(root.resolve("recordings"), List.of("/etc"), clock, 4);
        Path rroot = recorder.root();
        assertRefused(() -> recorder.checkFolder("../escape"), "'..' is not allowed");
        assertRefused(() -> recorder.checkFolder("a/../../b"), "'..' is not allowed");
        assertRefused(() -> recorder.checkFolder("/etc/x"), "outside the recordings root");
        assertRefused(() -> recorder.checkFolder(root.toString()), "outside the recordings root");
        recorder.checkFolder("rooms/1");
        recorder.checkFolder(rroot.resolve("rooms/2").toString());
        assertRefused(() -> recorder.checkName("../x"), "'..' is not allowed");
        assertRefused(() -> recorder.checkName("/tmp/x"), "outside the recordings root");
        assertRefused(() -> recorder.checkName("dir/"), "does not end with a file name");
        assertRefused(() -> recorder.checkName(""), "empty");
        recorder.checkName("sub/name");
        recorder.checkName(rroot + "/sub/name");
        assertFalse(Files.exists(rroot.resolve("rooms")), "checking touches no disk");

        StreamRecording a = recorder.open("rooms/1", "sub/rec-audio", false, "opus", Map.of());
        assertTrue(Files.exists(rroot.resolve("rooms/1/sub/rec-audio.mjr")));
        assertRefused(() -> recorder.open("rooms/1", "sub/rec-audio", false, "opus", Map.of()), "already exists");
        a.close();
        // A link planted inside the root that leads out of it is refused, file or folder.
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createSymbolicLink(rroot.resolve("out"), outside);
        assertRefused(() -> recorder.open("out", "x", false, "opus", Map.of()), "leads outside the recordings root");
        Files.createSymbolicLink(rroot.resolve("planted.mjr"), outside.resolve("target.mjr"));
        assertRefused(() -> recorder.open(null, "planted", false, "opus", Map.of()), "already exists");
        assertFalse(Files.exists(outside.resolve("target.mjr")));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRefused(Call call, String reason) {
        MediaRecorder.Refused e = assertThrows(MediaRecorder.Refused.class, call::run);
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
    }

    @Test
    void writeErrorEndsTheRecordingAndCountsWhatIsLost() throws IOException, MediaRecorder.Refused {
        MjrRecorder recorder = new MjrRecorder(root, List.of(), clock, 8);
        MjrRecording rec = (MjrRecording) recorder.open(null, "r", false, "opus", Map.of());
        rec.rtp(rtp(1, 12), 0, 12);
        rec.rtp(new byte[4], 0, 4); // not RTP: counted, never queued
        assertEquals(1, rec.dropped());
        recorder.writeReady();
        assertEquals(1, rec.frames());
    }
}
