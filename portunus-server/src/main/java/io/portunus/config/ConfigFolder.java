package io.portunus.config;

import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgException;
import io.portunus.config.jcfg.JcfgParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Janus-style configuration folder ({@code janus.jcfg}, {@code janus.transport.http.jcfg},
 * ...). A file the folder lacks falls back to Portunus's embedded default, so that with no
 * folder at all the server still starts with the Janus API and the Admin API enabled.
 */
public final class ConfigFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFolder.class);
    private static final String DEFAULTS = "/io/portunus/defaults/";

    private final Path folder;

    /** {@code folder} null: embedded defaults only. */
    public ConfigFolder(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** Loads {@code fileName} from the folder, else the embedded default, else an empty group. */
    public ConfigGroup load(String fileName) throws JcfgException {
        if (folder != null) {
            Path file = folder.resolve(fileName);
            if (Files.isRegularFile(file)) {
                LOG.debug("Reading {}", file);
                return JcfgParser.parseFile(file);
            }
        }
        return embedded(fileName);
    }

    /** The embedded default for {@code fileName}, or an empty group when there is none. */
    public static ConfigGroup embedded(String fileName) throws JcfgException {
        try (InputStream in = ConfigFolder.class.getResourceAsStream(DEFAULTS + fileName)) {
            if (in == null) {
                return JcfgParser.parseString("", "(empty)");
            }
            return JcfgParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded:" + fileName);
        } catch (IOException e) {
            throw new IllegalStateException("Embedded default " + fileName + " unreadable", e);
        }
    }

    /** Package names ({@code janus.plugin.x}, ...) of every module configuration file in the folder. */
    public List<String> moduleConfigurations() {
        List<String> names = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return names;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jcfg") && !n.equals("janus.jcfg"))
                    .filter(n -> n.startsWith("janus.plugin.") || n.startsWith("janus.transport.")
                            || n.startsWith("janus.eventhandler.") || n.startsWith("janus.logger."))
                    .map(n -> n.substring(0, n.length() - ".jcfg".length()))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            LOG.warn("Cannot list configuration folder {}: {}", folder, e.getMessage());
        }
        return names;
    }
}
