package io.portunus.transports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portunus.core.DecimalIds;
import io.portunus.core.Json;
import io.portunus.core.WrittenForms;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a JSON tree in Janus's {@code indented} and {@code plain} styles, byte for byte as
 * Janus's JSON library lays them out: {@code indented} puts every member and element on its own
 * line, three spaces deeper per level ({@code "key": value}); {@code plain} is one line with a
 * space after each {@code ,} and {@code :}; empty objects and arrays are {@code {}} and
 * {@code []}; strings escape {@code "}, {@code \}, and control characters ({@code \b \f \n \r \t},
 * others {@code \\u00XX}) and keep other characters as UTF-8.
 *
 * <p>This is the fast path for large replies in those styles (list_sessions, list_handles,
 * handle_info, list_tokens): one pass over the tree into one growing byte array, ids from a
 * {@link DecimalIds} copied as digits, where Jackson's pretty printer went through its
 * generator and indenter objects per token.
 */
final class JanssonStyleWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** A new line and up to this many spaces, copied in one go (deeper levels are written in parts). */
    private static final byte[] NEWLINE_AND_SPACES = newlineAndSpaces(96);
    /**
     * Which ASCII bytes a JSON string must escape. Bytes of 0x80 and above (UTF-8 beyond ASCII)
     * are kept as they are, as Jansson keeps them.
     */
    private static final boolean[] ESCAPED = escapedBytes();
    /** Buffers up to this size stay with their thread for its next reply; larger ones are let go. */
    private static final int KEPT_BUFFER = 1 << 20;
    /** Strings shorter than this are written character by character; longer ones through a UTF-8 copy. */
    private static final int SHORT_STRING = 64;
    /** Strings at least this long are remembered with their written form (SDPs; keys and states never are). */
    private static final int REMEMBERED_STRING = 512;
    /** ... as long as that form is at most this long, so a thread keeps at most 32 × 16 KB. */
    private static final int REMEMBERED_BYTES = 16 * 1024;
    private static final int REMEMBERED_SLOTS = 32;
    /** Member names remembered per thread with their written form ({@code "name": }), by identity. */
    private static final int NAME_SLOTS = 512;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One per thread (the transports' few I/O threads). The buffer is kept at the size it grew
     * to: a 16 KB handle_info no longer grows a fresh array five times per reply. It starts small,
     * so a short-lived thread writing one small event pays no more than before; the reply itself
     * is a copy of the written part.
     *
     * <p>The long strings last written, by identity, with their quoted and escaped UTF-8: the
     * local and remote SDPs are most of a {@code handle_info} reply and the same String objects
     * from one request to the next, and escaping them byte by byte was half of the Admin thread's
     * time on it (JFR, docs/benchmarks.md). A String never changes, so a remembered form is
     * exactly what writing it again would produce; a slot is overwritten by the next long
     * string that maps to it.
     */
    private static final class Scratch {
        byte[] buf = new byte[1024];
        final RememberedForms longStrings = new RememberedForms(REMEMBERED_SLOTS);
        /** Made at the thread's second reply: a virtual thread that writes one reply never needs them. */
        RememberedForms names;
        boolean wroteBefore;
    }

    /**
     * Strings with the bytes they were last written as, by identity, in a fixed number of slots: a
     * String that maps to a taken slot replaces the one there, so what is found is always right.
     */
    private static final class RememberedForms {
        private final String[] strings;
        private final byte[][] forms;

        RememberedForms(int slots) {
            strings = new String[slots];
            forms = new byte[slots][];
        }

        /** The bytes {@code s} was written as, or null. */
        byte[] find(String s) {
            int slot = slot(s);
            return strings[slot] == s ? forms[slot] : null;
        }

        void keep(String s, byte[] from, int start, int end) {
            int slot = slot(s);
            strings[slot] = s;
            forms[slot] = Arrays.copyOfRange(from, start, end);
        }

        private int slot(String s) {
            return System.identityHashCode(s) & (strings.length - 1);
        }
    }

    private final int indent;
    private final Scratch scratch;
    private byte[] buf;
    private int len;

    /** {@code indent} spaces per level (3, as Janus), or 0 for the one-line plain style. */
    private JanssonStyleWriter(int indent, Scratch scratch) {
        this.indent = indent;
        this.scratch = scratch;
        this.buf = scratch.buf;
    }

    static byte[] write(JsonNode node, int indent) {
        JanssonStyleWriter w = written(node, indent);
        return Arrays.copyOf(w.buf, w.len);
    }

    /**
     * The same bytes in a buffer of {@code alloc}'s, for a socket: copied once from the thread's
     * scratch into the (direct, pooled) buffer the socket writes from, where a {@code byte[]}
     * would be copied twice (into the array, then by the transport into a direct buffer).
     */
    static ByteBuf write(JsonNode node, int indent, ByteBufAllocator alloc) {
        JanssonStyleWriter w = written(node, indent);
        return alloc.ioBuffer(w.len).writeBytes(w.buf, 0, w.len);
    }

    private static JanssonStyleWriter written(JsonNode node, int indent) {
        Scratch scratch = SCRATCH.get();
        if (scratch.wroteBefore && scratch.names == null) {
            scratch.names = new RememberedForms(NAME_SLOTS);
        }
        scratch.wroteBefore = true;
        JanssonStyleWriter w = new JanssonStyleWriter(indent, scratch);
        w.value(node, 0);
        if (w.buf.length <= KEPT_BUFFER) {
            scratch.buf = w.buf;
        }
        return w;
    }

    private static byte[] newlineAndSpaces(int spaces) {
        byte[] b = new byte[1 + spaces];
        Arrays.fill(b, (byte) ' ');
        b[0] = '\n';
        return b;
    }

    private static boolean[] escapedBytes() {
        boolean[] e = new boolean[128];
        for (int c = 0; c < 0x20; c++) {
            e[c] = true;
        }
        e['"'] = true;
        e['\\'] = true;
        return e;
    }

    /**
     * By class, most frequent first, rather than a switch on {@code getNodeType()}: a reply tree
     * holds a few hundred nodes of half a dozen classes, each type check is a compare or two,
     * and the line of that switch (a virtual call, then the enum's switch table) had a fifth of
     * the Admin thread's samples during {@code handle_info} (JFR; JMH: 8.45 to 7.56 µs per
     * reply, docs/benchmarks.md).
     */
    private void value(JsonNode node, int depth) {
        if (node instanceof TextNode text) {
            string(text.textValue());
        } else if (node instanceof ObjectNode object) {
            object(object, depth);
        } else if (node instanceof IntNode || node instanceof LongNode) {
            digits(node.longValue());
        } else if (node instanceof ArrayNode array) {
            array(array, depth);
        } else if (node instanceof BooleanNode) {
            raw(node.booleanValue() ? TRUE : FALSE);
        } else {
            // Objects, arrays and booleans are all caught above (these classes and their subclasses).
            switch (node.getNodeType()) {
                case NUMBER -> number(node);
                case POJO -> pojo(((POJONode) node).getPojo(), depth);
                case STRING, BINARY -> string(node.asText());
                default -> raw(NULL);
            }
        }
    }

    private void object(ObjectNode node, int depth) {
        put('{');
        if (node.isEmpty()) {
            put('}');
            return;
        }
        newline(depth + 1, false);
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!first) {
                put(',');
                newline(depth + 1, true);
            }
            first = false;
            key(field.getKey());
            value(field.getValue(), depth + 1);
        }
        newline(depth, false);
        put('}');
    }

    /**
     * A member's name and the {@code ": "} after it. Names are a few hundred constant Strings
     * (literals in the code that builds a reply, or interned by Jackson's parser), the same objects
     * in every reply: each is written once per thread and copied from then on, instead of
     * character by character (a {@code handle_info} has ~450 members; JMH, docs/benchmarks.md).
     * A name that maps to a taken slot replaces it, so any name is still written right.
     */
    private void key(String name) {
        RememberedForms names = scratch.names;
        byte[] kept = names == null ? null : names.find(name);
        if (kept != null) {
            raw(kept);
            return;
        }
        int start = len;
        string(name);
        ensure(2);
        buf[len++] = ':';
        buf[len++] = ' ';
        if (names != null && name.length() < SHORT_STRING) {
            names.keep(name, buf, start, len);
        }
    }

    private void array(ArrayNode node, int depth) {
        put('[');
        int n = node.size();
        if (n == 0) {
            put(']');
            return;
        }
        newline(depth + 1, false);
        for (int i = 0; i < n; i++) {
            value(node.get(i), depth + 1);
            if (i < n - 1) {
                put(',');
                newline(depth + 1, true);
            }
        }
        newline(depth, false);
        put(']');
    }

    private void pojo(Object pojo, int depth) {
        if (pojo instanceof DecimalIds ids) {
            // The layout depends on the style and the depth only: a kept list is copied as written last time.
            WrittenForms forms = ids.writtenForms();
            int layout = indent << 16 | depth;
            byte[] kept = forms == null ? null : forms.get(layout);
            if (kept != null) {
                raw(kept);
                return;
            }
            int start = len;
            idArray(ids.decimalIds(), depth);
            if (forms != null) {
                forms.put(layout, Arrays.copyOfRange(buf, start, len));
            }
            return;
        }
        // Any other POJO: as Jackson writes it, on one line (none of Portunus's replies has one).
        try {
            raw(Json.MAPPER.writeValueAsBytes(pojo));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    private void idArray(byte[][] digits, int depth) {
        put('[');
        if (digits.length == 0) {
            put(']');
            return;
        }
        newline(depth + 1, false);
        for (int i = 0; i < digits.length; i++) {
            raw(digits[i]);
            if (i < digits.length - 1) {
                put(',');
                newline(depth + 1, true);
            }
        }
        newline(depth, false);
        put(']');
    }

    /** Between members: a new line and the indentation, or in plain style a space after a comma. */
    private void newline(int depth, boolean afterComma) {
        if (indent > 0) {
            int spaces = depth * indent;
            ensure(1 + spaces);
            int first = Math.min(spaces, NEWLINE_AND_SPACES.length - 1);
            System.arraycopy(NEWLINE_AND_SPACES, 0, buf, len, 1 + first);
            len += 1 + first;
            for (int left = spaces - first; left > 0; left--) {
                buf[len++] = ' ';
            }
        } else if (afterComma) {
            put(' ');
        }
    }

    private void number(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            digits(node.longValue());
        } else {
            ascii(node.isIntegralNumber() ? node.bigIntegerValue().toString() : Double.toString(node.doubleValue()));
        }
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buf[len++] = (byte) text.charAt(i);
        }
    }

    /** A long's decimal digits straight into the buffer: handle_info has ~100 numbers, no String each. */
    private void digits(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v)); // its negation overflows
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int n = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            n++;
        }
        int end = len + n;
        for (int p = end - 1; p >= len; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len = end;
    }

    /**
     * Short strings (keys, states) go character by character, which allocates nothing; long
     * ones through a UTF-8 copy, and the longest (SDPs) are copied as they were written last
     * time when they are the same String ({@link Scratch}).
     */
    private void string(String s) {
        if (s.length() < SHORT_STRING) {
            shortString(s);
            return;
        }
        if (s.length() < REMEMBERED_STRING) {
            longString(s);
            return;
        }
        byte[] kept = scratch.longStrings.find(s);
        if (kept != null) {
            raw(kept);
            return;
        }
        int start = len;
        longString(s);
        if (len - start <= REMEMBERED_BYTES) {
            scratch.longStrings.keep(s, buf, start, len);
        }
    }

    /**
     * The string as UTF-8 (String's own encoder, which copies an ASCII string's bytes in one go),
     * then copied in runs between the bytes that need an escape: SDPs of a few KB have an
     * escaped CR LF every line.
     */
    private void longString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length + 2);
        buf[len++] = '"';
        int run = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b >= 0 && ESCAPED[b]) {
                int n = i - run;
                ensure(n + 6 + (utf8.length - i));
                System.arraycopy(utf8, run, buf, len, n);
                len += n;
                escape((char) b);
                run = i + 1;
            }
        }
        int n = utf8.length - run;
        ensure(n + 1);
        System.arraycopy(utf8, run, buf, len, n);
        len += n;
        buf[len++] = '"';
    }

    private void shortString(String s) {
        int n = s.length();
        // Room for the plain case in one check; an escape or a non-ASCII run makes its own.
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
            } else {
                if (c < 0x80) {
                    escape(c);
                } else {
                    // A non-ASCII run as UTF-8 (lone surrogates become '?', as String.getBytes does).
                    int end = i;
                    while (end < n && s.charAt(end) >= 0x80) {
                        end++;
                    }
                    raw(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                    i = end - 1;
                }
                // The room made above was for one byte per character: again for the rest and the quote.
                ensure(n - i + 1);
            }
        }
        buf[len++] = '"';
    }

    private void escape(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xF];
            }
        }
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
