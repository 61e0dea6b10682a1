package io.portunus.config.jcfg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one jcfg file into tokens. Whitespace and comments ({@code #}, {@code //},
 * {@code /* *}{@code /}) are skipped here; adjacent string literals are merged here too, because
 * that must see across the comments the parser never gets to see.
 *
 * <p>{@code @include "file"} comes out as a single {@link Kind#INCLUDE} token; the parser splices
 * the included file's tokens in its place, which is what libconfig does (an include may appear
 * anywhere a token may).
 */
final class JcfgLexer {

    enum Kind {
        NAME, STRING, INTEGER, FLOAT, BOOLEAN, ASSIGN, SEMICOLON, COMMA,
        LBRACE, RBRACE, LPAREN, RPAREN, LBRACKET, RBRACKET, INCLUDE,
        /** A character that starts no token; the parser reports it with context. */
        UNKNOWN,
        EOF
    }

    /** A token; {@code value} is the decoded String/Long/Double/Boolean for literals, the file for INCLUDE. */
    record Token(Kind kind, String text, Object value, String source, int line, int column) {
        String describe() {
            return switch (kind) {
                case EOF -> "end of file";
                case NAME -> "name '" + text + "'";
                case STRING -> "string \"" + value + "\"";
                case INTEGER -> "integer " + text;
                case FLOAT -> "float " + text;
                case BOOLEAN -> "boolean " + text;
                case INCLUDE -> "@include";
                case UNKNOWN -> "character '" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    // Number forms of the libconfig grammar. Hex is tried first so "0x1F" is not read as "0".
    private static final Pattern HEX = Pattern.compile("([-+]?)0[xX]([0-9A-Fa-f]+)(L{0,2})");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+");
    private static final Pattern INT = Pattern.compile("([-+]?[0-9]+)(L{0,2})");

    private final String text;
    private final String source;
    private int pos;
    private int line = 1;
    private int col = 1;

    JcfgLexer(String text, String source) {
        // A UTF-8 byte order mark is not part of the configuration.
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.source = source;
    }

    String source() {
        return source;
    }

    Token next() throws JcfgException {
        skipTrivia();
        int l = line;
        int c = col;
        if (pos >= text.length()) {
            return new Token(Kind.EOF, "", null, source, l, c);
        }
        char ch = text.charAt(pos);
        Kind single = switch (ch) {
            case '=', ':' -> Kind.ASSIGN;
            case ';' -> Kind.SEMICOLON;
            case ',' -> Kind.COMMA;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            default -> null;
        };
        if (single != null) {
            advance();
            return new Token(single, String.valueOf(ch), null, source, l, c);
        }
        if (ch == '"') {
            return stringToken(l, c);
        }
        if (ch == '@') {
            return directive(l, c);
        }
        if (isNameStart(ch)) {
            String word = scan(JcfgLexer::isNameChar);
            if (word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false")) {
                return new Token(Kind.BOOLEAN, word, Boolean.valueOf(word.equalsIgnoreCase("true")), source, l, c);
            }
            return new Token(Kind.NAME, word, word, source, l, c);
        }
        if ((ch >= '0' && ch <= '9') || ch == '.' || ch == '+' || ch == '-') {
            Token number = number(l, c);
            if (number != null) {
                return number;
            }
        }
        advance();
        String shown = ch < 0x20 || ch == 0x7f ? String.format("U+%04X", (int) ch) : String.valueOf(ch);
        return new Token(Kind.UNKNOWN, shown, null, source, l, c);
    }

    private Token number(int l, int c) throws JcfgException {
        Matcher m;
        Kind kind;
        if ((m = match(HEX)) != null) {
            kind = Kind.INTEGER;
        } else if ((m = match(FLOAT)) != null) {
            kind = Kind.FLOAT;
        } else if ((m = match(INT)) != null) {
            kind = Kind.INTEGER;
        } else {
            return null;
        }
        int end = m.end();
        if (end < text.length() && (isNameChar(text.charAt(end)) || text.charAt(end) == '.')) {
            // "12abc", "1.2.3", "0x1G": libconfig would split these into tokens that can never form
            // valid syntax, so say what is really wrong.
            int stop = end;
            while (stop < text.length() && (isNameChar(text.charAt(stop)) || text.charAt(stop) == '.'
                    || text.charAt(stop) == '+')) {
                stop++;
            }
            throw new JcfgException(source, l, c, "malformed number '" + text.substring(pos, stop) + "'");
        }
        String lexeme = m.group();
        Object value;
        try {
            if (kind == Kind.FLOAT) {
                double d = Double.parseDouble(lexeme);
                if (Double.isInfinite(d)) {
                    throw new JcfgException(source, l, c, "float out of range '" + lexeme + "'");
                }
                value = d;
            } else if (m.pattern() == HEX) {
                // 64-bit two's complement like libconfig: 0xFFFFFFFFFFFFFFFF is -1.
                if (m.group(2).replaceFirst("^0+", "").length() > 16) {
                    throw new NumberFormatException();
                }
                long magnitude = Long.parseUnsignedLong(m.group(2), 16);
                value = m.group(1).equals("-") ? -magnitude : magnitude;
            } else {
                String digits = m.group(1);
                value = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
            }
        } catch (NumberFormatException e) {
            throw new JcfgException(source, l, c, "integer out of 64-bit range '" + lexeme + "'");
        }
        while (pos < end) {
            advance();
        }
        return new Token(kind, lexeme, value, source, l, c);
    }

    private Matcher match(Pattern p) {
        Matcher m = p.matcher(text).region(pos, text.length());
        return m.lookingAt() ? m : null;
    }

    /** One string token: a literal plus any literals that follow it across whitespace and comments. */
    private Token stringToken(int l, int c) throws JcfgException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int start = pos;
        readString(bytes);
        int end = pos;
        while (true) {
            skipTrivia();
            if (pos < text.length() && text.charAt(pos) == '"') {
                readString(bytes);
                end = pos;
            } else {
                break;
            }
        }
        String value = bytes.toString(StandardCharsets.UTF_8);
        return new Token(Kind.STRING, text.substring(start, end), value, source, l, c);
    }

    /**
     * Reads one {@code "..."} literal into {@code out}. Strings are byte strings in libconfig, so
     * {@code \xNN} adds one byte and the whole result is decoded as UTF-8 ("\xc3\xa9" is "é").
     */
    private void readString(ByteArrayOutputStream out) throws JcfgException {
        int l = line;
        int c = col;
        advance(); // opening quote
        StringBuilder run = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new JcfgException(source, l, c, "unterminated string");
            }
            char ch = text.charAt(pos);
            if (ch == '"') {
                advance();
                break;
            }
            if (ch != '\\') {
                run.append(ch);
                advance();
                continue;
            }
            int el = line;
            int ec = col;
            advance();
            if (pos >= text.length()) {
                throw new JcfgException(source, l, c, "unterminated string");
            }
            char e = text.charAt(pos);
            advance();
            switch (e) {
                case '\\' -> run.append('\\');
                case '"' -> run.append('"');
                case 'n' -> run.append('\n');
                case 'r' -> run.append('\r');
                case 't' -> run.append('\t');
                case 'f' -> run.append('\f');
                case 'x' -> {
                    if (pos + 2 > text.length() || !isHex(text.charAt(pos)) || !isHex(text.charAt(pos + 1))) {
                        throw new JcfgException(source, el, ec, "invalid escape '\\x': expected two hex digits");
                    }
                    out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
                    run.setLength(0);
                    out.write(Integer.parseInt(text.substring(pos, pos + 2), 16));
                    advance();
                    advance();
                }
                default -> throw new JcfgException(source, el, ec, "unknown escape sequence '\\" + e + "'");
            }
        }
        out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Token directive(int l, int c) throws JcfgException {
        advance(); // '@'
        String word = scan(JcfgLexer::isNameChar);
        if (!word.equals("include")) {
            throw new JcfgException(source, l, c, "unknown directive '@" + word + "'");
        }
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            advance();
        }
        if (pos >= text.length() || text.charAt(pos) != '"') {
            throw new JcfgException(source, line, col, "expected a quoted file name after @include");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        readString(bytes);
        String file = bytes.toString(StandardCharsets.UTF_8);
        if (file.isEmpty()) {
            throw new JcfgException(source, l, c, "empty file name in @include");
        }
        return new Token(Kind.INCLUDE, "@include", file, source, l, c);
    }

    private void skipTrivia() throws JcfgException {
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == 0x0b) {
                advance();
            } else if (ch == '#' || (ch == '/' && peekAt(1) == '/')) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    advance();
                }
            } else if (ch == '/' && peekAt(1) == '*') {
                int l = line;
                int c = col;
                int close = text.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw new JcfgException(source, l, c, "unterminated /* comment");
                }
                while (pos < close + 2) {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private char peekAt(int offset) {
        int i = pos + offset;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private void advance() {
        if (text.charAt(pos) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        pos++;
    }

    private String scan(IntPredicate accept) {
        int start = pos;
        while (pos < text.length() && accept.test(text.charAt(pos))) {
            advance();
        }
        return text.substring(start, pos);
    }

    static boolean isNameStart(int ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '*';
    }

    static boolean isNameChar(int ch) {
        return isNameStart(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    }

    private static boolean isHex(char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }
}
