package io.portunus.config.jcfg;

/**
 * A jcfg file could not be read or is not valid libconfig syntax.
 *
 * <p>The message always starts with the source name and, when the problem has a position,
 * the 1-based line and column: {@code janus.jcfg:12:7: expected '=' or ':' after setting name 'port'}.
 * This matches the {@code file:line:column:} convention editors and terminals turn into links.
 * Columns count characters (UTF-16 units); a tab counts as one column.
 *
 * <p>It is a checked exception on purpose: a broken configuration file is an expected,
 * operator-caused condition that callers must report rather than crash on.
 */
public final class JcfgException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;
    private final int column;
    private final String detail;

    /** A problem at a position; {@code line}/{@code column} are 1-based (0 means "no position"). */
    public JcfgException(String sourceName, int line, int column, String detail) {
        this(sourceName, line, column, detail, null);
    }

    public JcfgException(String sourceName, int line, int column, String detail, Throwable cause) {
        super(format(sourceName, line, column, detail), cause);
        this.sourceName = sourceName;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    private static String format(String sourceName, int line, int column, String detail) {
        if (line <= 0) {
            return sourceName + ": " + detail;
        }
        return sourceName + ":" + line + ":" + column + ": " + detail;
    }

    /** The file (or the name given to {@link JcfgParser#parseString}) the problem is in. */
    public String sourceName() {
        return sourceName;
    }

    /** 1-based line, or 0 when the problem has no position (e.g. the file cannot be read). */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when the problem has no position. */
    public int column() {
        return column;
    }

    /** The message without the {@code file:line:column:} prefix. */
    public String detail() {
        return detail;
    }
}
