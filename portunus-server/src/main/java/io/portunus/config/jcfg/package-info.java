/**
 * Reader for Janus {@code .jcfg} configuration files, which use the libconfig syntax.
 *
 * <p>{@link JcfgParser} turns a file into a tree of
 * {@link ConfigValue}s rooted at a {@link ConfigGroup};
 * syntax errors are {@link JcfgException}s naming {@code file:line:column}.
 * The group's typed getters read options the way Janus does (numbers and booleans may be quoted,
 * booleans may be {@code yes}/{@code no}/{@code 1}/{@code 0}) and report unusable values as
 * {@link ConfigTypeException}.
 *
 * <p>The parser is an independent implementation written from the libconfig grammar; it shares no
 * code with libconfig.
 */
package io.portunus.config.jcfg;
