package io.portunus.api;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.core.Gateway;
import io.portunus.core.Json;
import io.portunus.core.ModuleInfo;
import io.portunus.core.Version;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.Transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.function.Supplier;

/**
 * The {@code server_info} reply, shared by the Janus API, the Admin API and
 * {@code GET /janus/info}; keys and order as Janus (janus-api.md §4). Portunus names itself
 * in {@code name}/{@code version}; every other key means what it means in Janus.
 */
public final class ServerInfo {
    private final Gateway gateway;
    private final String localIp;
    private final Supplier<Collection<ModuleInfo>> eventHandlers;
    private final ObjectNode dependencies;

    public ServerInfo(Gateway gateway, Supplier<Collection<ModuleInfo>> eventHandlers) {
        this.gateway = gateway;
        this.eventHandlers = eventHandlers;
        this.localIp = gateway.settings().localIp != null ? gateway.settings().localIp : detectLocalIp();
        // Looked up once: Netty finds its version by scanning the class path.
        dependencies = Json.object();
        dependencies.put("java", Runtime.version().toString());
        dependencies.put("netty", io.netty.util.Version.identify().values().stream().findFirst()
                .map(io.netty.util.Version::artifactVersion).orElse("unknown"));
        dependencies.put("jackson", PackageVersion.VERSION.toString());
    }

    public String localIp() {
        return localIp;
    }

    public ObjectNode build(String transaction) {
        CoreSettings s = gateway.settings();
        CoreSettings.Media m = s.media;
        ObjectNode info = Json.object();
        info.put("janus", "server_info");
        if (transaction != null) {
            info.put("transaction", transaction);
        }
        info.put("name", "Portunus");
        info.put("version", Version.number());
        info.put("version_string", Version.STRING);
        info.put("author", "The Portunus authors");
        info.put("commit-hash", "not-a-git-repo");
        info.put("compile-time", Version.BUILD_TIME);
        info.put("log-to-stdout", s.logToStdout);
        info.put("log-to-file", s.logFile != null);
        if (s.logFile != null) {
            info.put("log-path", s.logFile);
        }
        info.put("data_channels", true);
        info.put("accepting-new-sessions", gateway.acceptNewSessions());
        info.put("session-timeout", gateway.sessionTimeout());
        info.put("reclaim-session-timeout", s.reclaimSessionTimeout);
        info.put("candidates-timeout", s.candidatesTimeout);
        info.put("server-name", s.serverName);
        info.put("local-ip", localIp);
        info.put("ipv6", m.ipv6());
        if (m.ipv6()) {
            info.put("ipv6-link-local", m.ipv6LinkLocal());
        }
        info.put("ice-lite", m.iceLite());
        info.put("ice-tcp", m.iceTcp());
        info.put("ice-nomination", m.iceNomination());
        info.put("ice-keepalive-conncheck", m.iceKeepaliveConncheck());
        info.put("full-trickle", m.fullTrickle());
        info.put("mdns-enabled", m.mdnsEnabled());
        info.put("min-nack-queue", gateway.live().minNackQueueMs());
        info.put("nack-optimizations", gateway.live().nackOptimizations());
        info.put("twcc-period", m.twccPeriod());
        info.put("dtls-mtu", m.dtlsMtu());
        if (m.stunServer() != null) {
            info.put("stun-server", m.stunServer());
        }
        if (m.turnServer() != null) {
            info.put("turn-server", m.turnServer());
        }
        if (m.allowForceRelay()) {
            info.put("allow-force-relay", true);
        }
        info.put("static-event-loops", 0);
        info.put("api_secret", s.apiSecret != null);
        info.put("auth_token", s.tokenAuth);
        info.put("event_handlers", s.eventHandlers);
        info.put("opaqueid_in_api", s.opaqueIdInApi);
        if (!m.webrtcEncryption()) {
            info.put("webrtc_encryption", false);
        }
        if (!s.hideDependencies) {
            info.set("dependencies", dependencies.deepCopy());
        }
        ObjectNode transports = info.putObject("transports");
        for (Transport t : gateway.transports()) {
            describe(transports, t.info());
        }
        ObjectNode events = info.putObject("events");
        eventHandlers.get().forEach(e -> describe(events, e));
        info.putObject("loggers");
        ObjectNode plugins = info.putObject("plugins");
        for (Plugin p : gateway.plugins().values()) {
            describe(plugins, p.info());
        }
        return info;
    }

    private static void describe(ObjectNode parent, ModuleInfo m) {
        ObjectNode o = parent.putObject(m.packageName());
        o.put("name", m.name());
        o.put("author", m.author());
        o.put("description", m.description());
        o.put("version_string", m.versionString());
        o.put("version", m.version());
    }

    /** The first non-loopback IPv4 address, reported as Janus reports its local IP. */
    private static String detectLocalIp() {
        try {
            var ifaces = NetworkInterface.getNetworkInterfaces();
            while (ifaces != null && ifaces.hasMoreElements()) {
                NetworkInterface ni = ifaces.nextElement();
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException ignored) {
            // fall back to loopback below
        }
        return "127.0.0.1";
    }
}
