package io.portunus.config.jcfg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JcfgIncludeTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void includesAreSplicedInPlaceAndResolvedRelativeToTheIncludingFile() throws Exception {
        Path main = write("main.jcfg", "a = 1\n@include \"sub/inc.jcfg\"\nc = 3\n");
        Path inc = write("sub/inc.jcfg", "# included\nb = 2\n@include \"deeper.jcfg\"\n");
        write("sub/deeper.jcfg", "d = \"four\"");
        ConfigGroup g = JcfgParser.parseFile(main);
        assertThat(g.names()).containsExactly("a", "b", "d", "c");
        assertThat(g.integer("b", 0)).isEqualTo(2);
        assertThat(g.string("d", null)).isEqualTo("four");
        ConfigValue b = g.get("b").orElseThrow();
        assertThat(b.source()).isEqualTo(inc.toString());
        assertThat(b.line()).isEqualTo(2);
        assertThat(g.get("c").orElseThrow().source()).isEqualTo(main.toString());
        assertThat(g.get("c").orElseThrow().line()).isEqualTo(3);
    }

    @Test
    void includeMayAppearInsideAGroup() throws Exception {
        Path main = write("main.jcfg", "general: {\n  @include \"part.jcfg\"\n  y = 2\n}\n");
        write("part.jcfg", "x = 1;");
        ConfigGroup general = JcfgParser.parseFile(main).group("general");
        assertThat(general.names()).containsExactly("x", "y");
    }

    @Test
    void errorsInsideAnIncludedFileNameThatFile() throws Exception {
        Path main = write("main.jcfg", "@include \"bad.jcfg\"\n");
        Path bad = write("bad.jcfg", "\n\nx = ;\n");
        assertThatThrownBy(() -> JcfgParser.parseFile(main))
                .isInstanceOf(JcfgException.class)
                .hasMessage(bad + ":3:5: expected a value, found ';'");
    }

    @Test
    void missingIncludeIsReportedAtTheDirective() throws Exception {
        Path main = write("main.jcfg", "a = 1\n  @include \"missing.jcfg\"\n");
        assertThatThrownBy(() -> JcfgParser.parseFile(main))
                .isInstanceOf(JcfgException.class)
                .hasMessage(main + ":2:3: cannot read included file '" + dir.resolve("missing.jcfg")
                        + "': no such file");
    }

    @Test
    void includeCycleIsDetected() throws Exception {
        Path a = write("a.jcfg", "x = 1\n@include \"b.jcfg\"\n");
        Path b = write("b.jcfg", "@include \"a.jcfg\"\n");
        assertThatThrownBy(() -> JcfgParser.parseFile(a))
                .isInstanceOf(JcfgException.class)
                .hasMessage(b + ":1:1: include cycle: " + a + " -> " + b + " -> " + a);
    }

    @Test
    void selfIncludeIsACycle() throws Exception {
        Path a = write("self.jcfg", "\n\t@include \"./self.jcfg\"\n");
        assertThatThrownBy(() -> JcfgParser.parseFile(a))
                .isInstanceOf(JcfgException.class)
                .hasMessage(a + ":2:2: include cycle: " + a + " -> " + a);
    }

    @Test
    void includingTheSameFileTwiceWithoutACycleIsFine() throws Exception {
        Path main = write("main.jcfg", "g1: { @include \"common.jcfg\" }\ng2: { @include \"common.jcfg\" }\n");
        write("common.jcfg", "port = 8088");
        ConfigGroup g = JcfgParser.parseFile(main);
        assertThat(g.group("g1").integer("port", 0)).isEqualTo(8088);
        assertThat(g.group("g2").integer("port", 0)).isEqualTo(8088);
    }

    @Test
    void includeDepthIsLimited() throws Exception {
        for (int i = 0; i < 12; i++) {
            write("f" + i + ".jcfg", "v" + i + " = " + i + "\n@include \"f" + (i + 1) + ".jcfg\"\n");
        }
        write("f12.jcfg", "end = true");
        assertThatThrownBy(() -> JcfgParser.parseFile(dir.resolve("f0.jcfg")))
                .isInstanceOf(JcfgException.class)
                .hasMessage(dir.resolve("f10.jcfg") + ":2:1: @include nested more than 10 levels deep");
    }

    @Test
    void parseStringResolvesIncludesAgainstTheGivenDirectoryOrAbsolutePaths() throws Exception {
        Path inc = write("inc.jcfg", "x = 1");
        assertThat(JcfgParser.parseString("@include \"inc.jcfg\"", "s", dir).integer("x", 0)).isEqualTo(1);
        assertThat(JcfgParser.parseString("@include \"" + inc + "\"", "s").integer("x", 0)).isEqualTo(1);
    }
}
