package io.portunus.core;

import java.util.List;

/**
 * What a module (plugin, transport, event handler) says about itself, as listed in the
 * {@code server_info} reply under {@code plugins}, {@code transports} and {@code events}.
 *
 * @param packageName the Janus package name, e.g. {@code janus.plugin.echotest}
 * @param moduleFiles the Janus shared-object names this module stands for, so that a Janus
 *                    {@code disable} list such as {@code libjanus_echotest.so} can name it
 */
public record ModuleInfo(String packageName, String name, String author, String description,
                         int version, String versionString, List<String> moduleFiles) {
}
