package io.portunus.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.portunus.core.DecimalIds;
import io.portunus.core.WrittenForms;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON array of ids given as their decimal digits ({@code list_sessions} with thousands of
 * sessions), put into a reply with {@code putPOJO}. Compact output is joined here into one
 * byte array and handed to the generator as a raw value: a node and a {@code writeNumber} per
 * id were half of the Admin thread's time with 1,000 sessions. Janus's indented and plain
 * styles copy the digits from {@link DecimalIds} in transports' own writer; any other
 * pretty-printed output goes through the generator. A list kept across replies keeps its
 * written forms ({@link WrittenForms}), the compact one under {@link #COMPACT_LAYOUT}.
 */
final class IdArray implements JsonSerializable, DecimalIds {
    /** The compact form's key in {@link WrittenForms}; the transports' own writer uses keys >= 0. */
    static final int COMPACT_LAYOUT = -1;

    private final DecimalIds ids;

    IdArray(DecimalIds ids) {
        this.ids = ids;
    }

    IdArray(byte[][] decimalIds) {
        this(() -> decimalIds);
    }

    @Override
    public byte[][] decimalIds() {
        return ids.decimalIds();
    }

    @Override
    public WrittenForms writtenForms() {
        return ids.writtenForms();
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        byte[][] decimalIds = ids.decimalIds();
        if (gen.getPrettyPrinter() != null) {
            gen.writeStartArray(decimalIds, decimalIds.length);
            for (byte[] id : decimalIds) {
                gen.writeNumber(new String(id, StandardCharsets.US_ASCII));
            }
            gen.writeEndArray();
            return;
        }
        WrittenForms forms = ids.writtenForms();
        byte[] compact = forms == null ? null : forms.get(COMPACT_LAYOUT);
        if (compact == null) {
            compact = joined(decimalIds);
            if (forms != null) {
                forms.put(COMPACT_LAYOUT, compact);
            }
        }
        gen.writeRawValue(new RawAscii(compact));
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }

    /** {@code [id,id,...]} in ASCII. */
    private static byte[] joined(byte[][] decimalIds) {
        int length = 2 + Math.max(0, decimalIds.length - 1);
        for (byte[] id : decimalIds) {
            length += id.length;
        }
        byte[] out = new byte[length];
        int p = 0;
        out[p++] = '[';
        for (int i = 0; i < decimalIds.length; i++) {
            if (i > 0) {
                out[p++] = ',';
            }
            byte[] id = decimalIds[i];
            System.arraycopy(id, 0, out, p, id.length);
            p += id.length;
        }
        out[p] = ']';
        return out;
    }

    /** Bytes that are already JSON, for {@link JsonGenerator#writeRawValue(SerializableString)}. */
    private record RawAscii(byte[] bytes) implements SerializableString {
        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.US_ASCII);
        }

        @Override
        public int charLength() {
            return bytes.length;
        }

        @Override
        public char[] asQuotedChars() {
            return getValue().toCharArray();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public byte[] asQuotedUTF8() {
            return bytes;
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return appendUnquotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return appendUnquoted(buffer, offset);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            for (int i = 0; i < bytes.length; i++) {
                buffer[offset + i] = (char) bytes[i];
            }
            return bytes.length;
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return writeUnquotedUTF8(out);
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            return putUnquotedUTF8(buffer);
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < bytes.length) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }
    }
}
