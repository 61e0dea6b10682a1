package io.portunus.core;

/**
 * A JSON array of ids held as their decimal digits (a large {@code list_sessions} or
 * {@code list_handles}), put into a reply tree as a POJO so that every JSON style can copy the
 * digits instead of building a node per id.
 */
public interface DecimalIds {
    /** The ids' ASCII decimal digits, in order. */
    byte[][] decimalIds();

    /**
     * Where this array's written forms are kept, for a list that is the same object from one
     * reply to the next (the session list while no session comes or goes); null for a list made
     * for one reply, which is written each time.
     */
    default WrittenForms writtenForms() {
        return null;
    }
}
