package io.portunus.nanomsg;

import io.portunus.FreePorts;
import io.portunus.cli.Server;
import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.JcfgParser;

import java.nio.file.Files;
import java.nio.file.Path;

/** A real Portunus whose only transports are the ones written here (no HTTP, no WebSockets). */
public final class NanomsgServer implements AutoCloseable {
    public static final String ADMIN_SECRET = "nnsecret";
    public final Path folder;
    public final Server server;

    public NanomsgServer(String nanomsg, String pfunix) throws Exception {
        folder = Files.createTempDirectory("portunus-nn");
        Files.writeString(folder.resolve("janus.jcfg"), "general: { admin_secret = \"" + ADMIN_SECRET + "\" }\n");
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), "general: { http = false }\nadmin: { admin_http = false }\n");
        Files.writeString(folder.resolve("janus.transport.websockets.jcfg"), "general: { ws = false }\nadmin: { admin_ws = false }\n");
        Files.writeString(folder.resolve("janus.transport.nanomsg.jcfg"), nanomsg.replace("$DIR", folder.toString()));
        Files.writeString(folder.resolve("janus.transport.pfunix.jcfg"), pfunix.replace("$DIR", folder.toString()));
        CoreSettings settings = CoreSettings.builder(JcfgParser.parseFile(folder.resolve("janus.jcfg"))).build();
        server = new Server(settings, new ConfigFolder(folder)).start();
    }

    public static int freePort() {
        return FreePorts.next();
    }

    @Override
    public void close() {
        server.close();
    }
}
