package io.portunus.config.jcfg;

/**
 * An option exists but its value cannot be converted to the type the caller asked for,
 * e.g. {@code port = "eighty"} read with {@link ConfigGroup#integer}.
 *
 * <p>Unchecked because it is raised by the typed getters, which callers use in long chains of
 * option reads; the message names {@code file:line: option 'group.name': what} so the
 * operator can find the bad line without a stack trace.
 */
public final class ConfigTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;
    private final String option;

    public ConfigTypeException(String sourceName, int line, String option, String detail) {
        super(sourceName + ":" + line + ": option '" + option + "': " + detail);
        this.sourceName = sourceName;
        this.line = line;
        this.option = option;
    }

    public String sourceName() {
        return sourceName;
    }

    public int line() {
        return line;
    }

    /** Dotted path of the option, e.g. {@code general.port} or {@code stream.media[0].port}. */
    public String option() {
        return option;
    }
}
