package io.portunus.config.jcfg;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lenient typed getters, which mirror how Janus interprets option values. */
class ConfigGroupTest {

    private static ConfigGroup parse(String text) throws JcfgException {
        return JcfgParser.parseString(text, "t.jcfg");
    }

    @Test
    void stringConvertsScalarsAndDefaultsWhenAbsent() throws JcfgException {
        ConfigGroup g = parse("s = \"x\"\ni = 8088\nb = true\nf = 1.5\ngrp = { }");
        assertThat(g.string("s", "d")).isEqualTo("x");
        assertThat(g.string("i", "d")).isEqualTo("8088");
        assertThat(g.string("b", "d")).isEqualTo("true");
        assertThat(g.string("f", "d")).isEqualTo("1.5");
        assertThat(g.string("missing", "d")).isEqualTo("d");
        assertThat(g.string("missing", null)).isNull();
        assertThatThrownBy(() -> g.string("grp", "d"))
                .isInstanceOf(ConfigTypeException.class)
                .hasMessage("t.jcfg:5: option 'grp': expected a string, found group");
    }

    @Test
    void integerAcceptsNumbersQuotedNumbersAndIntegralFloats() throws JcfgException {
        ConfigGroup g = parse("a = 60\nb = \"60\"\nc = \" -5 \"\nd = \"0x10\"\ne = 60.0\nf = 0x20\ng = \"+7\"");
        assertThat(g.integer("a", 0)).isEqualTo(60);
        assertThat(g.integer("b", 0)).isEqualTo(60);
        assertThat(g.integer("c", 0)).isEqualTo(-5);
        assertThat(g.integer("d", 0)).isEqualTo(16);
        assertThat(g.integer("e", 0)).isEqualTo(60);
        assertThat(g.integer("f", 0)).isEqualTo(32);
        assertThat(g.integer("g", 0)).isEqualTo(7);
        assertThat(g.integer("missing", 42)).isEqualTo(42);
    }

    @Test
    void integerRejectsTheInconvertibleNamingFileLineAndOption() throws JcfgException {
        ConfigGroup g = parse("general: {\n  port = \"abc\"\n  f = 1.5\n  b = true\n  l = [1]\n}");
        ConfigGroup general = g.group("general");
        assertThatThrownBy(() -> general.integer("port", 0))
                .isInstanceOf(ConfigTypeException.class)
                .hasMessage("t.jcfg:2: option 'general.port': expected an integer, found string \"abc\"");
        assertThatThrownBy(() -> general.integer("f", 0))
                .hasMessage("t.jcfg:3: option 'general.f': expected an integer, found float 1.5");
        assertThatThrownBy(() -> general.integer("b", 0))
                .hasMessage("t.jcfg:4: option 'general.b': expected an integer, found boolean true");
        assertThatThrownBy(() -> general.integer("l", 0))
                .hasMessage("t.jcfg:5: option 'general.l': expected an integer, found array");
        ConfigTypeException e = (ConfigTypeException) Assertions
                .catchThrowable(() -> general.integer("port", 0));
        assertThat(e.sourceName()).isEqualTo("t.jcfg");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.option()).isEqualTo("general.port");
    }

    @Test
    void boolAcceptsJanusSpellings() throws JcfgException {
        ConfigGroup g = parse("""
                t1 = true
                t2 = "true"
                t3 = "YES"
                t4 = "1"
                t5 = 1
                t6 = " Yes "
                f1 = false
                f2 = "False"
                f3 = "no"
                f4 = "0"
                f5 = 0
                """);
        for (String n : new String[] {"t1", "t2", "t3", "t4", "t5", "t6"}) {
            assertThat(g.bool(n, false)).as(n).isTrue();
        }
        for (String n : new String[] {"f1", "f2", "f3", "f4", "f5"}) {
            assertThat(g.bool(n, true)).as(n).isFalse();
        }
        assertThat(g.bool("missing", true)).isTrue();
        assertThat(g.bool("missing", false)).isFalse();
    }

    @Test
    void boolRejectsOtherValues() throws JcfgException {
        ConfigGroup g = parse("a = \"maybe\"\nb = 2\nc = 1.0\nd = ( )");
        assertThatThrownBy(() -> g.bool("a", false))
                .isInstanceOf(ConfigTypeException.class)
                .hasMessage("t.jcfg:1: option 'a': expected a boolean (true/false, yes/no, 1/0), found string \"maybe\"");
        assertThatThrownBy(() -> g.bool("b", false)).hasMessageContaining("found integer 2");
        assertThatThrownBy(() -> g.bool("c", false)).hasMessageContaining("found float 1.0");
        assertThatThrownBy(() -> g.bool("d", false)).hasMessageContaining("found list");
    }

    @Test
    void stringListFromArraysListsAndCommaSeparatedStrings() throws JcfgException {
        ConfigGroup g = parse("""
                arr = [ "/bin", "/usr" ]
                lst = ( "a", 2, true )
                csv = "vmnet, tap0,, eth1 "
                one = "solo"
                num = 5
                empty = ""
                bad = ( "a", { } )
                grp = { }
                """);
        assertThat(g.stringList("arr")).containsExactly("/bin", "/usr");
        assertThat(g.stringList("lst")).containsExactly("a", "2", "true");
        assertThat(g.stringList("csv")).containsExactly("vmnet", "tap0", "eth1");
        assertThat(g.stringList("one")).containsExactly("solo");
        assertThat(g.stringList("num")).containsExactly("5");
        assertThat(g.stringList("empty")).isEmpty();
        assertThat(g.stringList("missing")).isEmpty();
        assertThatThrownBy(() -> g.stringList("bad"))
                .isInstanceOf(ConfigTypeException.class)
                .hasMessage("t.jcfg:7: option 'bad': expected a list of strings, found a nested group");
        assertThatThrownBy(() -> g.stringList("grp"))
                .hasMessage("t.jcfg:8: option 'grp': expected a string or a list of strings, found group");
    }

    @Test
    void groupNeverReturnsNull() throws JcfgException {
        ConfigGroup g = parse("general: { x = 1 }\nscalar = 3");
        ConfigGroup absent = g.group("nope").group("deeper");
        assertThat(absent).isNotNull();
        assertThat(absent.isEmpty()).isTrue();
        assertThat(absent.path()).isEqualTo("nope.deeper");
        assertThat(absent.string("x", "def")).isEqualTo("def");
        assertThat(g.group("general").has("x")).isTrue();
        assertThatThrownBy(() -> g.group("scalar"))
                .isInstanceOf(ConfigTypeException.class)
                .hasMessage("t.jcfg:2: option 'scalar': expected a group, found integer 3");
    }

    @Test
    void accessorsAndImmutability() throws JcfgException {
        ConfigGroup g = parse("b = 1\na = 2\nl = (1, \"x\")");
        assertThat(g.names()).containsExactly("b", "a", "l");
        assertThat(g.size()).isEqualTo(3);
        assertThat(g.has("a")).isTrue();
        assertThat(g.has("z")).isFalse();
        assertThat(g.get("z")).isEmpty();
        assertThat(g.get("a")).get().isInstanceOf(ConfigScalar.class);
        assertThat(g.list("l")).hasSize(2);
        assertThat(g.list("missing")).isEmpty();
        assertThatThrownBy(() -> g.list("a")).isInstanceOf(ConfigTypeException.class);
        assertThatThrownBy(() -> g.names().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> g.list("l").add(g)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noArgConstructorIsAnEmptyConfiguration() {
        ConfigGroup none = new ConfigGroup();
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.group("general").integer("session_timeout", 60)).isEqualTo(60);
        assertThat(none.source()).isEqualTo("<none>");
    }
}
