package io.portunus.config.jcfg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every syntax error must name file:line:column exactly. */
class JcfgErrorTest {

    private static void assertError(String text, String expectedMessage) {
        assertThatThrownBy(() -> JcfgParser.parseString(text, "t.jcfg"))
                .isInstanceOf(JcfgException.class)
                .hasMessage(expectedMessage);
    }

    // Inputs use \n and \t written literally in the CSV and are unescaped below, to keep positions visible.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a = 1\\nb 2                 | t.jcfg:2:3: expected '=' or ':' after setting name 'b', found integer 2",
        "a = ;                       | t.jcfg:1:5: expected a value, found ';'",
        "a =                         | t.jcfg:1:4: expected a value, found end of file",
        "a = \"abc                   | t.jcfg:1:5: unterminated string",
        "a = \"abc\\\"              | t.jcfg:1:5: unterminated string",
        "a = 1 /* never closed       | t.jcfg:1:7: unterminated /* comment",
        "a = \"x\\q\"                | t.jcfg:1:7: unknown escape sequence '\\q'",
        "a = \"x\\x4\"               | t.jcfg:1:7: invalid escape '\\x': expected two hex digits",
        "a = \"\\xZZ\"               | t.jcfg:1:6: invalid escape '\\x': expected two hex digits",
        "a = [1, \"x\"]              | t.jcfg:1:9: array elements must all have the same type: expected integer, found string \"x\"",
        "a = [1, 2.0]                | t.jcfg:1:9: array elements must all have the same type: expected integer, found float 2.0",
        "a = [true,\\n  \"s\"]       | t.jcfg:2:3: array elements must all have the same type: expected boolean, found string \"s\"",
        "a = [ { b = 1 } ]           | t.jcfg:1:7: arrays may only hold scalar values; use a list '( )' for groups or nested lists",
        "a = [ 1, ( 2 ) ]            | t.jcfg:1:10: arrays may only hold scalar values; use a list '( )' for groups or nested lists",
        "a = [ 1 2 ]                 | t.jcfg:1:9: expected ',' or ']' in array, found integer 2",
        "g = {\\n  x = 1\\n          | t.jcfg:3:1: unexpected end of file: group opened at t.jcfg:1:5 is missing '}'",
        "l = (1, 2                   | t.jcfg:1:10: unexpected end of file: list opened at t.jcfg:1:5 is missing ')'",
        "l = (1 2)                   | t.jcfg:1:8: expected ',' or ')' in list, found integer 2",
        "l = (1, )  x = (,)          | t.jcfg:1:17: expected a value, found ','",
        "a = 1;\\na = 2;             | t.jcfg:2:1: duplicate setting 'a' (first set at t.jcfg:1)",
        "g = { a = 1; a = 2 }        | t.jcfg:1:14: duplicate setting 'a' (first set at t.jcfg:1)",
        "_a = 1                      | t.jcfg:1:1: expected a setting name, found character '_'",
        "\"a\" = 1                   | t.jcfg:1:1: expected a setting name, found string \"a\"",
        "}                           | t.jcfg:1:1: expected a setting name, found '}'",
        "true = 1                    | t.jcfg:1:1: 'true' is a boolean literal and cannot be a setting name",
        "a = $                       | t.jcfg:1:5: expected a value, found character '$' (string values must be in double quotes)",
        "a = foo                     | t.jcfg:1:5: expected a value, found name 'foo' (string values must be in double quotes)",
        "\\tport = /x                | t.jcfg:1:9: expected a value, found character '/' (string values must be in double quotes)",
        "a = 99999999999999999999    | t.jcfg:1:5: integer out of 64-bit range '99999999999999999999'",
        "a = 0x1FFFFFFFFFFFFFFFF     | t.jcfg:1:5: integer out of 64-bit range '0x1FFFFFFFFFFFFFFFF'",
        "a = 1e999                   | t.jcfg:1:5: float out of range '1e999'",
        "a = 12abc                   | t.jcfg:1:5: malformed number '12abc'",
        "a = 1.2.3                   | t.jcfg:1:5: malformed number '1.2.3'",
        "a = 0x1G                    | t.jcfg:1:5: malformed number '0x1G'",
        "a = 5LLL                    | t.jcfg:1:5: malformed number '5LLL'",
        "a = 5l                      | t.jcfg:1:5: malformed number '5l'",
        "a = -                       | t.jcfg:1:5: expected a value, found character '-' (string values must be in double quotes)",
        "@foo \"x\"                  | t.jcfg:1:1: unknown directive '@foo'",
        "@include x                  | t.jcfg:1:10: expected a quoted file name after @include",
        "@include \"\"               | t.jcfg:1:1: empty file name in @include",
        "/* a\\nb */ x = \"l1\\nl2\"\\n\\t y  | t.jcfg:4:4: expected '=' or ':' after setting name 'y', found end of file",
        "a = 1\\r\\nb = ?\\r\\n      | t.jcfg:2:5: expected a value, found character '?' (string values must be in double quotes)",
    })
    void syntaxErrorsNamePosition(String input, String message) {
        assertError(unescape(input.strip()), message.strip());
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r");
    }

    @Test
    void tooDeepNestingIsAnErrorNotAStackOverflow() {
        assertError("a = " + "(".repeat(300), "t.jcfg:1:205: nesting deeper than 200 levels");
    }

    @Test
    void exceptionExposesItsParts() {
        JcfgException e = catchThrowableOfType(JcfgException.class, () -> JcfgParser.parseString("a = ;", "x.jcfg"));
        assertThat(e.sourceName()).isEqualTo("x.jcfg");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.detail()).isEqualTo("expected a value, found ';'");
    }

    @Test
    void missingFileHasNoPosition(@TempDir Path dir) {
        Path missing = dir.resolve("nope.jcfg");
        assertThatThrownBy(() -> JcfgParser.parseFile(missing))
                .isInstanceOf(JcfgException.class)
                .hasMessage(missing + ": cannot read file: no such file");
    }

    @Test
    void errorsInFilesUseTheFileName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jcfg");
        Files.writeString(f, "general: {\n\tport = 80 80\n}\n");
        assertThatThrownBy(() -> JcfgParser.parseFile(f))
                .isInstanceOf(JcfgException.class)
                .hasMessage(f + ":2:12: expected a setting name, found integer 80");
    }
}
