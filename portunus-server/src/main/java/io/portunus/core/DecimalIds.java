package io.portunus.core;

/**
 * A JSON array of ids held as their decimal digits (a large {@code list_sessions} or
 * {@code list_handles}), put into a reply tree as a POJO so that every JSON style can copy the
 * digits instead of building a node per id.
 */
public interface DecimalIds {
    /** The ids' ASCII decimal digits, in order. */
    byte[][] decimalIds();
}
