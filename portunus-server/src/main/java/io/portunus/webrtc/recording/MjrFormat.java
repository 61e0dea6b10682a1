package io.portunus.webrtc.recording;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Janus's recording format, version 2 ({@code .mjr}), as Janus 1.1.2 writes it and its
 * {@code janus-pp-rec} reads it:
 * <pre>
 *   "MJR00002"  u16 length  JSON header          (once, before the first frame)
 *   "MEET"  u32 ms since the first frame  u16 length  RTP packet   (each frame)
 * </pre>
 * all numbers big-endian. The header says what the file holds: {@code t} the kind ({@code a}
 * audio, {@code v} video), {@code c} the codec, {@code x} the RTP header extensions worth knowing
 * (id to URI), {@code s} when the recording was created and {@code u} when its first frame was
 * written, both wall-clock microseconds. The JSON is laid out as Janus lays it out
 * ({@code {"t": "a", "c": "opus", "s": 1, "u": 2}}).
 */
final class MjrFormat {
    static final byte[] MAGIC = "MJR00002".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FRAME = "MEET".getBytes(StandardCharsets.US_ASCII);
    /** Bytes a frame adds before its packet. */
    static final int FRAME_OVERHEAD = 10;

    private MjrFormat() {
    }

    /** The file's header: magic, length and JSON. */
    static byte[] header(boolean video, String codec, Map<Integer, String> extensions, long createdMicros,
                         long firstFrameMicros) {
        StringBuilder json = new StringBuilder("{\"t\": \"").append(video ? 'v' : 'a').append("\", \"c\": ");
        quote(json, codec);
        if (extensions != null && !extensions.isEmpty()) {
            json.append(", \"x\": {");
            boolean first = true;
            for (Map.Entry<Integer, String> e : new TreeMap<>(extensions).entrySet()) {
                json.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": ");
                quote(json, e.getValue());
                first = false;
            }
            json.append('}');
        }
        json.append(", \"s\": ").append(createdMicros).append(", \"u\": ").append(firstFrameMicros).append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + text.length);
        out.put(MAGIC).putShort((short) text.length).put(text);
        return out.array();
    }

    /** Writes one frame (header and packet) into {@code out}, which must have room for it. */
    static void frame(ByteBuffer out, long millisSinceFirst, byte[] rtp, int offset, int length) {
        out.put(FRAME).putInt((int) Math.max(0, millisSinceFirst)).putShort((short) length).put(rtp, offset, length);
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
