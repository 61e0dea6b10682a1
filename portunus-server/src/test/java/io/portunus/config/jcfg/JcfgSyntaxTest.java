package io.portunus.config.jcfg;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JcfgSyntaxTest {

    private static ConfigGroup parse(String text) throws JcfgException {
        return JcfgParser.parseString(text, "t.jcfg");
    }

    private static Object value(ConfigGroup g, String name) {
        return ((ConfigScalar) g.get(name).orElseThrow()).value();
    }

    @Test
    void settingsWithEqualsOrColonAndOptionalTerminators() throws JcfgException {
        ConfigGroup g = parse("a = 1;\nb : 2,\nc=3\nd:4 e = 5; f = 6,g=7");
        assertThat(g.names()).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(value(g, "a")).isEqualTo(1L);
        assertThat(value(g, "b")).isEqualTo(2L);
        assertThat(value(g, "g")).isEqualTo(7L);
    }

    @Test
    void namesMayContainDashesUnderscoresDigitsAndStars() throws JcfgException {
        ConfigGroup g = parse("room-1234 = 1\n*wild* = 2\na_b-c9 = 3\nTrueish = 4");
        assertThat(g.names()).containsExactly("room-1234", "*wild*", "a_b-c9", "Trueish");
    }

    @Test
    void emptyInputAndCommentOnlyInputGiveEmptyRoot() throws JcfgException {
        assertThat(parse("").isEmpty()).isTrue();
        assertThat(parse("  # nothing\n// here\n/* at\nall */\n").isEmpty()).isTrue();
    }

    @Test
    void nestedGroupsKeepInsertionOrder() throws JcfgException {
        ConfigGroup g = parse("""
                general: {
                    zeta = 1
                    alpha = { inner = "x"; };
                    mid = 2
                }
                empty: { }
                """);
        ConfigGroup general = g.group("general");
        assertThat(general.names()).containsExactly("zeta", "alpha", "mid");
        assertThat(general.group("alpha").string("inner", null)).isEqualTo("x");
        assertThat(general.group("alpha").path()).isEqualTo("general.alpha");
        assertThat(g.group("empty").isEmpty()).isTrue();
        assertThat(g.names()).containsExactly("general", "empty");
    }

    @Test
    void listsAreHeterogeneousAndMayHoldGroupsListsAndArrays() throws JcfgException {
        ConfigGroup g = parse("""
                l = ( "abc", 123, true, 1.5, { a = (1, 2); }, ( ), [ 1, 2, 3 ], ( "x" ) );
                trailing = ( 1, 2, );
                """);
        ConfigList l = (ConfigList) g.get("l").orElseThrow();
        assertThat(l.isArray()).isFalse();
        assertThat(l.size()).isEqualTo(8);
        assertThat(((ConfigScalar) l.get(0)).value()).isEqualTo("abc");
        assertThat(((ConfigScalar) l.get(1)).value()).isEqualTo(123L);
        assertThat(((ConfigScalar) l.get(2)).value()).isEqualTo(true);
        assertThat(((ConfigScalar) l.get(3)).value()).isEqualTo(1.5);
        ConfigGroup inner = (ConfigGroup) l.get(4);
        assertThat(inner.path()).isEqualTo("l[4]");
        assertThat(inner.list("a")).hasSize(2);
        assertThat(((ConfigList) l.get(5)).items()).isEmpty();
        assertThat(((ConfigList) l.get(6)).isArray()).isTrue();
        assertThat(((ConfigList) l.get(7)).items()).hasSize(1);
        assertThat(g.list("trailing")).hasSize(2);
    }

    @Test
    void arraysHoldScalarsOfOneType() throws JcfgException {
        ConfigGroup g = parse("ints = [ 10, 0x0B, 12L ]\nstrs = [\"a\", \"b\"]\nempty = []\nbools = [true, FALSE,]");
        ConfigList ints = (ConfigList) g.get("ints").orElseThrow();
        assertThat(ints.isArray()).isTrue();
        assertThat(ints.items()).extracting(v -> ((ConfigScalar) v).value()).containsExactly(10L, 11L, 12L);
        assertThat(g.stringList("strs")).containsExactly("a", "b");
        assertThat(g.list("empty")).isEmpty();
        assertThat(g.list("bools")).extracting(v -> ((ConfigScalar) v).value()).containsExactly(true, false);
    }

    @Test
    void stringEscapes() throws JcfgException {
        ConfigGroup g = parse("s = \"a\\\\b\\\"c\\nd\\re\\tf\\fg\\x41\\x7e\"");
        assertThat(value(g, "s")).isEqualTo("a\\b\"c\nd\re\tf\fgA~");
    }

    @Test
    void hexEscapesAreBytesDecodedAsUtf8AndRawUnicodeIsKept() throws JcfgException {
        ConfigGroup g = parse("a = \"caf\\xc3\\xa9\"\nb = \"café ☃\"\nc = \"[\\x1b[32mjanus\\x1b[0m] \"");
        assertThat(value(g, "a")).isEqualTo("café");
        assertThat(value(g, "b")).isEqualTo("café ☃");
        assertThat(value(g, "c")).isEqualTo("[\u001b[32mjanus\u001b[0m] ");
    }

    @Test
    void stringsMaySpanLinesAndContainCommentMarkers() throws JcfgException {
        ConfigGroup g = parse("a = \"line1\nline2\"\nb = \"# not // a /* comment */\"");
        assertThat(value(g, "a")).isEqualTo("line1\nline2");
        assertThat(value(g, "b")).isEqualTo("# not // a /* comment */");
    }

    @Test
    void adjacentStringsAreConcatenatedAcrossWhitespaceNewlinesAndComments() throws JcfgException {
        ConfigGroup g = parse("""
                a = "x" "y";
                b = "A very long string "
                    # hash comment
                    "that spans "  // line comment
                    /* block
                       comment */ "lines."
                c = ( "p" "q", "r" )
                """);
        assertThat(value(g, "a")).isEqualTo("xy");
        assertThat(value(g, "b")).isEqualTo("A very long string that spans lines.");
        assertThat(g.stringList("c")).containsExactly("pq", "r");
    }

    @Test
    void integers() throws JcfgException {
        ConfigGroup g = parse("""
                dec = 42
                neg = -7
                pos = +7
                hex = 0x1F
                hexUpper = 0X1f
                negHex = -0x10
                long1 = 10L
                long2 = 10LL
                hexLong = 0xFFL
                big = 3000000000
                max = 9223372036854775807
                min = -9223372036854775808
                allOnes = 0xFFFFFFFFFFFFFFFF
                zero = 0
                """);
        assertThat(value(g, "dec")).isEqualTo(42L);
        assertThat(value(g, "neg")).isEqualTo(-7L);
        assertThat(value(g, "pos")).isEqualTo(7L);
        assertThat(value(g, "hex")).isEqualTo(31L);
        assertThat(value(g, "hexUpper")).isEqualTo(31L);
        assertThat(value(g, "negHex")).isEqualTo(-16L);
        assertThat(value(g, "long1")).isEqualTo(10L);
        assertThat(value(g, "long2")).isEqualTo(10L);
        assertThat(value(g, "hexLong")).isEqualTo(255L);
        assertThat(value(g, "big")).isEqualTo(3_000_000_000L);
        assertThat(value(g, "max")).isEqualTo(Long.MAX_VALUE);
        assertThat(value(g, "min")).isEqualTo(Long.MIN_VALUE);
        assertThat(value(g, "allOnes")).isEqualTo(-1L);
        assertThat(value(g, "zero")).isEqualTo(0L);
    }

    @Test
    void floats() throws JcfgException {
        ConfigGroup g = parse("a = 1.5\nb = 1e3\nc = .5\nd = -2.0e-3\ne = 1.\nf = 1E+2\ng = -.25\nh = +3.0");
        assertThat(value(g, "a")).isEqualTo(1.5);
        assertThat(value(g, "b")).isEqualTo(1000.0);
        assertThat(value(g, "c")).isEqualTo(0.5);
        assertThat(value(g, "d")).isEqualTo(-0.002);
        assertThat(value(g, "e")).isEqualTo(1.0);
        assertThat(value(g, "f")).isEqualTo(100.0);
        assertThat(value(g, "g")).isEqualTo(-0.25);
        assertThat(value(g, "h")).isEqualTo(3.0);
    }

    @Test
    void booleansAreCaseInsensitive() throws JcfgException {
        ConfigGroup g = parse("a = true\nb = TRUE\nc = False\nd = fAlSe");
        assertThat(List.of(value(g, "a"), value(g, "b"), value(g, "c"), value(g, "d")))
                .containsExactly(true, true, false, false);
    }

    @Test
    void allThreeCommentStyles() throws JcfgException {
        ConfigGroup g = parse("""
                # hash
                a = 1 # trailing hash
                // slashes
                b = 2 // trailing slashes
                /* block
                   spanning */ c = /* inline */ 3
                d = 8088#no space before comment
                e = "x"/* glued */;
                """);
        assertThat(g.names()).containsExactly("a", "b", "c", "d", "e");
        assertThat(value(g, "c")).isEqualTo(3L);
        assertThat(value(g, "d")).isEqualTo(8088L);
    }

    @Test
    void valuesRememberTheirPosition() throws JcfgException {
        ConfigGroup g = parse("# c\n\tgeneral: {\n\t\tport = 8088\n\t}\n");
        ConfigGroup general = g.group("general");
        assertThat(general.source()).isEqualTo("t.jcfg");
        assertThat(general.line()).isEqualTo(2);
        assertThat(general.column()).isEqualTo(11);
        ConfigScalar port = (ConfigScalar) general.get("port").orElseThrow();
        assertThat(port.line()).isEqualTo(3);
        assertThat(port.column()).isEqualTo(10);
        assertThat(port.source()).isEqualTo("t.jcfg");
    }

    @Test
    void crlfLineEndingsAndByteOrderMark() throws JcfgException {
        ConfigGroup g = parse("\uFEFFa = 1\r\nb = \"x\"\r\n");
        assertThat(g.names()).containsExactly("a", "b");
        assertThat(((ConfigScalar) g.get("b").orElseThrow()).line()).isEqualTo(2);
        assertThat(((ConfigScalar) g.get("b").orElseThrow()).column()).isEqualTo(5);
    }

    @Test
    void libconfigStyleExample() throws JcfgException {
        ConfigGroup g = parse("""
                application:
                {
                  window:
                  {
                    title = "My Application";
                    size = { /* width */ w = 640; /* height */ h = 480; };
                  };
                  list = ( ( "abc", 123, true ), 1.234, ( /* an empty list */ ), [ 1, 2, 3 ],
                           { a = (1, 2, true); } );
                  books = ( { title = "Treasure Island"; price = 29.99; qty = 5; },
                            { } );
                };
                """);
        ConfigGroup app = g.group("application");
        assertThat(app.group("window").group("size").integer("w", 0)).isEqualTo(640);
        assertThat(app.list("list")).hasSize(5);
        ConfigGroup book = (ConfigGroup) app.list("books").get(0);
        assertThat(book.string("title", null)).isEqualTo("Treasure Island");
        assertThat(book.path()).isEqualTo("application.books[0]");
    }
}
