package io.portunus.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ids of the live sessions as decimal ASCII in one flat array, for {@code list_sessions}.
 * Walking the session map and formatting each id costs some 40 ns a session (map node, the
 * session, then about twenty nanoseconds of digit arithmetic for a 16-digit id); here the
 * digits are made once, when the session is created, and a list is a copy of references. Adds
 * and removes are O(1): a removed slot takes the last entry, and each session remembers its
 * slot. Order is creation order changed by removals, as unspecified as Janus's.
 *
 * <p>A snapshot is kept until a session comes or goes: an operator polling list_sessions gets
 * the same list, with the JSON its earlier replies wrote for it ({@link WrittenForms}).
 */
final class SessionIds {
    private byte[][] decimal = new byte[64][];
    private Session[] owners = new Session[64];
    private int size;
    /** The list as it is now, or null after a change until the next snapshot. */
    private Snapshot current;

    /** The live ids at one moment, with the JSON written for them. */
    private record Snapshot(byte[][] decimalIds, WrittenForms writtenForms) implements DecimalIds {
    }

    /** Adds a session unless it was destroyed meanwhile (a destroy racing with its create). */
    synchronized void add(Session session) {
        if (session.isDestroyed() || session.slot >= 0) {
            return;
        }
        if (size == owners.length) {
            decimal = Arrays.copyOf(decimal, size * 2);
            owners = Arrays.copyOf(owners, size * 2);
        }
        decimal[size] = Long.toString(session.id()).getBytes(StandardCharsets.US_ASCII);
        owners[size] = session;
        session.slot = size++;
        current = null;
    }

    synchronized void remove(Session session) {
        int slot = session.slot;
        if (slot < 0) {
            return;
        }
        int last = --size;
        Session moved = owners[last];
        decimal[slot] = decimal[last];
        owners[slot] = moved;
        moved.slot = slot;
        decimal[last] = null;
        owners[last] = null;
        session.slot = -1;
        current = null;
    }

    /** The live ids, each as its decimal digits in ASCII; the same object while none comes or goes. */
    synchronized DecimalIds snapshot() {
        Snapshot s = current;
        if (s == null) {
            s = new Snapshot(Arrays.copyOf(decimal, size), new WrittenForms());
            current = s;
        }
        return s;
    }
}
