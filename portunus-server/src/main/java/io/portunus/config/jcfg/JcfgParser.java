package io.portunus.config.jcfg;

import io.portunus.config.jcfg.JcfgLexer.Kind;
import io.portunus.config.jcfg.JcfgLexer.Token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Parser for the libconfig syntax of Janus {@code .jcfg} files, written from the libconfig grammar:
 *
 * <pre>
 * file     := setting*
 * setting  := name ('=' | ':') value (';' | ',')?
 * value    := string+ | integer | float | boolean | group | list | array
 * group    := '{' setting* '}'
 * list     := '(' (value (',' value)* ','?)? ')'
 * array    := '[' (scalar (',' scalar)* ','?)? ']'       -- all scalars of one type
 * name     := [A-Za-z*][-A-Za-z0-9_*]*
 * </pre>
 *
 * Comments ({@code #}, {@code //}, {@code /* *}{@code /}) may appear between any tokens and
 * {@code @include "file"} may appear wherever a token may; the included file's tokens replace the
 * directive. Includes are resolved relative to the directory of the file containing them (for
 * {@link #parseString(String, String)}: the working directory), may nest 10 levels deep, and
 * cycles are rejected.
 *
 * <p>Deliberate differences from libconfig, all in the direction of accepting more: a trailing comma
 * before {@code )} or {@code ]} is allowed, and integers without an {@code L} suffix are 64-bit
 * (libconfig promotes large ones to 64-bit anyway). Duplicate setting names in a group are an
 * error, as in libconfig.
 *
 * <p>Files are read as UTF-8. Not thread-safe per instance, but every public entry point uses its
 * own instance.
 */
public final class JcfgParser {
    /** libconfig's own include nesting limit. */
    static final int MAX_INCLUDE_DEPTH = 10;
    /** Guards the recursive descent against stack overflow on hostile input. */
    static final int MAX_NESTING = 200;

    /** One file being read; {@code realPath} is null for text given to parseString. */
    private record Frame(JcfgLexer lexer, Path realPath, Path baseDir) { }

    private final Deque<Frame> frames = new ArrayDeque<>();
    private Token lookahead;
    private int nesting;

    private JcfgParser(Frame first) {
        frames.push(first);
    }

    /** Parses a jcfg file; {@code @include}s are resolved relative to the file's directory. */
    public static ConfigGroup parseFile(Path file) throws JcfgException {
        String name = file.toString();
        String text;
        try {
            text = read(file);
        } catch (IOException e) {
            throw new JcfgException(name, 0, 0, "cannot read file: " + reason(e), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return new JcfgParser(new Frame(new JcfgLexer(text, name), realPath(file), dir)).parseRoot(name);
    }

    /**
     * Parses jcfg text; {@code sourceName} is only used in error messages and
     * {@link ConfigValue#source()}. {@code @include}s are resolved relative to the working directory.
     */
    public static ConfigGroup parseString(String text, String sourceName) throws JcfgException {
        return parseString(text, sourceName, Path.of(""));
    }

    /** As {@link #parseString(String, String)}, resolving {@code @include}s relative to {@code includeDir}. */
    public static ConfigGroup parseString(String text, String sourceName, Path includeDir) throws JcfgException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sourceName, "sourceName");
        Frame frame = new Frame(new JcfgLexer(text, sourceName), null, includeDir.toAbsolutePath());
        return new JcfgParser(frame).parseRoot(sourceName);
    }

    private ConfigGroup parseRoot(String sourceName) throws JcfgException {
        ConfigGroup root = new ConfigGroup(sourceName, 1, 1, "");
        parseSettings(root, null);
        return root;
    }

    /** Settings up to (not including) the closing brace of {@code open}, or to end of file if it is null. */
    private void parseSettings(ConfigGroup group, Token open) throws JcfgException {
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.RBRACE && open != null) {
                return;
            }
            if (t.kind() == Kind.EOF) {
                if (open == null) {
                    return;
                }
                throw error(t, "unexpected end of file: group opened at " + where(open) + " is missing '}'");
            }
            if (t.kind() == Kind.BOOLEAN) {
                throw error(t, "'" + t.text() + "' is a boolean literal and cannot be a setting name");
            }
            if (t.kind() != Kind.NAME) {
                throw error(t, "expected a setting name, found " + t.describe());
            }
            next();
            String name = t.text();
            Token assign = next();
            if (assign.kind() != Kind.ASSIGN) {
                throw error(assign, "expected '=' or ':' after setting name '" + name + "', found "
                        + assign.describe());
            }
            if (group.has(name)) {
                ConfigValue first = group.get(name).orElseThrow();
                throw error(t, "duplicate setting '" + name + "' (first set at " + first.source() + ":"
                        + first.line() + ")");
            }
            group.put(name, parseValue(group.path().isEmpty() ? name : group.path() + "." + name));
            Kind after = peek().kind();
            if (after == Kind.SEMICOLON || after == Kind.COMMA) {
                next();
            }
        }
    }

    /** A value; {@code path} names it in later type errors (only groups keep it). */
    private ConfigValue parseValue(String path) throws JcfgException {
        Token t = next();
        switch (t.kind()) {
            case STRING, INTEGER, FLOAT, BOOLEAN -> {
                return new ConfigScalar(t.value(), t.source(), t.line(), t.column());
            }
            case LBRACE -> {
                enter(t);
                ConfigGroup g = new ConfigGroup(t.source(), t.line(), t.column(), path);
                parseSettings(g, t);
                next(); // '}'
                nesting--;
                return g;
            }
            case LPAREN -> {
                return parseSequence(t, path, false);
            }
            case LBRACKET -> {
                return parseSequence(t, path, true);
            }
            case NAME, UNKNOWN -> throw error(t, "expected a value, found " + t.describe()
                    + " (string values must be in double quotes)");
            default -> throw error(t, "expected a value, found " + t.describe());
        }
    }

    /** The rest of a {@code ( )} list or {@code [ ]} array after its opening bracket. */
    private ConfigList parseSequence(Token open, String path, boolean array) throws JcfgException {
        enter(open);
        Kind close = array ? Kind.RBRACKET : Kind.RPAREN;
        String what = array ? "array" : "list";
        List<ConfigValue> items = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == close) {
                next();
                break;
            }
            if (array && (t.kind() == Kind.LBRACE || t.kind() == Kind.LPAREN || t.kind() == Kind.LBRACKET)) {
                throw error(t, "arrays may only hold scalar values; use a list '( )' for groups or nested lists");
            }
            ConfigValue item = parseValue(path + "[" + items.size() + "]");
            if (array && !items.isEmpty()) {
                ConfigScalar firstItem = (ConfigScalar) items.get(0);
                ConfigScalar s = (ConfigScalar) item;
                if (!firstItem.kind().equals(s.kind())) {
                    throw error(t, "array elements must all have the same type: expected " + firstItem.kind()
                            + ", found " + s.describe());
                }
            }
            items.add(item);
            Token sep = next();
            if (sep.kind() == close) {
                break;
            }
            if (sep.kind() == Kind.EOF) {
                throw error(sep, "unexpected end of file: " + what + " opened at " + where(open)
                        + " is missing '" + (array ? "]" : ")") + "'");
            }
            if (sep.kind() != Kind.COMMA) {
                throw error(sep, "expected ',' or '" + (array ? "]" : ")") + "' in " + what + ", found "
                        + sep.describe());
            }
        }
        nesting--;
        return new ConfigList(array, items, open.source(), open.line(), open.column());
    }

    private void enter(Token open) throws JcfgException {
        if (++nesting > MAX_NESTING) {
            throw error(open, "nesting deeper than " + MAX_NESTING + " levels");
        }
    }

    private Token peek() throws JcfgException {
        if (lookahead == null) {
            lookahead = fetch();
        }
        return lookahead;
    }

    private Token next() throws JcfgException {
        Token t = peek();
        lookahead = null;
        return t;
    }

    /** Next token of the innermost file, entering and leaving included files transparently. */
    private Token fetch() throws JcfgException {
        while (true) {
            Token t = frames.peek().lexer().next();
            if (t.kind() == Kind.INCLUDE) {
                include(t);
            } else if (t.kind() == Kind.EOF && frames.size() > 1) {
                frames.pop();
            } else {
                return t;
            }
        }
    }

    private void include(Token directive) throws JcfgException {
        Path target;
        try {
            target = frames.peek().baseDir().resolve((String) directive.value()).normalize();
        } catch (InvalidPathException e) {
            // Found by fuzzing (issue #14): a NUL in the file name is a configuration error, not a crash.
            throw error(directive, "invalid included file name: " + e.getReason());
        }
        String text;
        try {
            text = read(target);
        } catch (IOException e) {
            throw error(directive, "cannot read included file '" + target + "': " + reason(e));
        }
        Path real = realPath(target);
        for (Frame f : frames) {
            if (real.equals(f.realPath())) {
                StringBuilder chain = new StringBuilder();
                for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
                    chain.append(it.next().lexer().source()).append(" -> ");
                }
                throw error(directive, "include cycle: " + chain + target);
            }
        }
        if (frames.size() > MAX_INCLUDE_DEPTH) {
            throw error(directive, "@include nested more than " + MAX_INCLUDE_DEPTH + " levels deep");
        }
        frames.push(new Frame(new JcfgLexer(text, target.toString()), real, target.getParent()));
    }

    private static String read(Path file) throws IOException {
        // new String(bytes, UTF_8) replaces malformed input rather than failing: a stray Latin-1
        // byte in a comment should not make the whole file unreadable.
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String where(Token t) {
        return t.source() + ":" + t.line() + ":" + t.column();
    }

    private static JcfgException error(Token t, String detail) {
        return new JcfgException(t.source(), t.line(), t.column(), detail);
    }
}
