package io.portunus.config.jcfg;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What JcfgWriter writes reads back to the same tree (it rewrites files for permanent VideoRoom rooms). */
class JcfgWriterTest {

    @Test
    void everyValueKindRoundTrips() throws Exception {
        ConfigGroup parsed = JcfgParser.parseString("""
                general: { s = "a \\"quoted\\" \\\\ line\\n\\ttab", i = 42, big = 9007199254740993, f = 1.5,
                           b = true, arr = [1, 2, 3], list = ("x", 2, { k = "v" }), nested: { deep: { x = -1 } } }
                top = "level"
                """, "test");
        String written = JcfgWriter.write(parsed);
        ConfigGroup again = JcfgParser.parseString(written, "written");
        assertThat(JcfgWriter.write(again)).isEqualTo(written);
        ConfigGroup general = again.group("general");
        assertThat(general.string("s", null)).isEqualTo("a \"quoted\" \\ line\n\ttab");
        assertThat(general.integer("big", 0)).isEqualTo(9007199254740993L);
        assertThat(general.string("f", null)).isEqualTo("1.5");
        assertThat(general.bool("b", false)).isTrue();
        assertThat(general.stringList("arr")).containsExactly("1", "2", "3");
        assertThat(general.list("list")).hasSize(3);
        assertThat(general.group("nested").group("deep").integer("x", 0)).isEqualTo(-1);
        assertThat(again.string("top", null)).isEqualTo("level");
    }

    @Test
    void debiansSampleFilesRoundTrip() throws Exception {
        Path etc = Path.of("/etc/janus");
        assumeTrue(Files.isDirectory(etc), "Debian's janus package is not installed");
        List<Path> files;
        try (Stream<Path> s = Files.list(etc)) {
            files = s.filter(p -> p.toString().endsWith(".jcfg")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int checked = 0;
        for (Path f : files) {
            ConfigGroup parsed;
            try {
                parsed = JcfgParser.parseFile(f);
            } catch (JcfgException e) {
                continue; // a few samples are not valid libconfig (JanusSampleConfigsTest says which)
            }
            checked++;
            String written = JcfgWriter.write(parsed);
            assertThat(JcfgWriter.write(JcfgParser.parseString(written, f.toString()))).as(f.toString()).isEqualTo(written);
        }
        assertThat(checked).as("parsable samples").isGreaterThan(10);
    }
}
