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
 */
final class SessionIds {
    private byte[][] decimal = new byte[64][];
    private Session[] owners = new Session[64];
    private int size;

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
    }

    /** The live ids, each as its decimal digits in ASCII. */
    synchronized byte[][] snapshot() {
        return Arrays.copyOf(decimal, size);
    }
}
