package io.portunus.config.jcfg;

/**
 * A value in a parsed jcfg file: a {@link ConfigGroup} ({@code { ... }}), a {@link ConfigList}
 * ({@code ( ... )} list or {@code [ ... ]} array) or a {@link ConfigScalar}.
 *
 * <p>Every value remembers where it was written so that later semantic errors (wrong type,
 * bad port number, ...) can point at the offending line, including inside {@code @include}d files.
 */
public sealed interface ConfigValue permits ConfigGroup, ConfigList, ConfigScalar {

    /** Name of the file (or the name passed to {@link JcfgParser#parseString}) the value comes from. */
    String source();

    /** 1-based line where the value starts. */
    int line();

    /** 1-based column where the value starts. */
    int column();
}
