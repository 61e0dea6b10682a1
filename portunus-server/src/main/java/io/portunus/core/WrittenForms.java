package io.portunus.core;

import java.util.Arrays;

/**
 * The bytes of one unchanging JSON value as each writer laid it out, keyed by a number each
 * writer picks for its layout (style and depth). With 1,000 sessions an indented
 * {@code list_sessions} reply is 24 KB of ids, and writing them again for every request was
 * 40 % of the Admin thread's time (JFR, docs/benchmarks.md); the same list is now copied.
 * Few layouts are ever used (compact, indented and plain at one depth each), so a handful is
 * kept; two threads writing the same layout at once both write it, and either copy is right.
 */
public final class WrittenForms {
    private static final int MAX_FORMS = 8;

    private record Form(int layout, byte[] bytes) {
    }

    private volatile Form[] forms = new Form[0];

    /** The value as written in {@code layout} before, or null. The array must not be changed. */
    public byte[] get(int layout) {
        for (Form f : forms) {
            if (f.layout == layout) {
                return f.bytes;
            }
        }
        return null;
    }

    /** Keeps {@code bytes} (not copied, never changed afterwards) as the value written in {@code layout}. */
    public synchronized void put(int layout, byte[] bytes) {
        Form[] now = forms;
        if (now.length == MAX_FORMS || get(layout) != null) {
            return;
        }
        Form[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = new Form(layout, bytes);
        forms = next;
    }
}
