package io.portunus.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** gzip at a chosen level (0-9), for the HTTP handler's {@code compress} and GELF over UDP. */
public final class Gzip {

    private Gzip() {
    }

    public static byte[] compress(byte[] data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(level < 0 || level > 9 ? Deflater.DEFAULT_COMPRESSION : level);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
