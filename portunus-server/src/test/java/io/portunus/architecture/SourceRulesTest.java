package io.portunus.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the compiled classes cannot show: how the sources name the project's own types. */
class SourceRulesTest {
    /** io.portunus.pkg.Type used in code rather than imported (package, import and comment lines aside). */
    private static final Pattern INLINE_NAME = Pattern.compile("io\\.portunus\\.[a-z0-9_.]+\\.[A-Z]");
    private static final Pattern NOT_CODE = Pattern.compile("^\\s*(import|package|\\*|//|/\\*).*");

    /** Inline fully-qualified names hide a dependency from the imports, where reviews look for them. */
    @Test
    void mainCodeImportsTheProjectsTypes() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // the module's parent: the repository
        List<String> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("portunus-")).toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        List<String> lines = Files.readAllLines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i);
                            if (!NOT_CODE.matcher(line).matches() && INLINE_NAME.matcher(line).find()) {
                                found.add(root.relativize(f) + ":" + (i + 1) + ": " + line.trim());
                            }
                        }
                    }
                }
            }
        }
        assertThat(found).as("inline io.portunus names in main code").isEmpty();
    }
}
