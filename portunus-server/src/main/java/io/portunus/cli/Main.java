package io.portunus.cli;

import io.portunus.config.ConfigFolder;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.config.jcfg.JcfgException;
import io.portunus.config.jcfg.JcfgParser;
import io.portunus.core.Version;
import io.portunus.logging.LogControl;
import io.portunus.net.NettyDefaults;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code portunus [options]}: Janus's command line, Janus's configuration folder, embedded
 * defaults when there is none. Exit codes: 0 normal, 1 bad configuration or start-up failure,
 * 2 bad command line.
 */
public final class Main {
    private static final List<String> C_ONLY_FOLDERS = List.of("plugins_folder", "transports_folder", "events_folder",
            "loggers_folder");

    private Main() {
    }

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        NettyDefaults.leakDetectionOffUnlessSet();
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("portunus: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cl.has("help")) {
            System.out.print(CommandLine.usage());
            return;
        }
        if (cl.has("version")) {
            System.out.println("Portunus " + Version.STRING + " (Janus API compatible)");
            return;
        }
        if (cl.has("daemon")) {
            System.err.println("portunus: --daemon is not supported; run it under your service manager instead");
            System.exit(2);
            return;
        }
        Server server;
        try {
            server = start(cl);
        } catch (JcfgException e) {
            System.err.println("portunus: configuration error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("portunus: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            System.err.println("portunus: failed to start: " + e);
            System.exit(1);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Portunus {} started in {} ms", Version.STRING, (System.nanoTime() - startNanos) / 1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Threads.onShutdown("portunus-shutdown", () -> {
            log.info("Shutting down");
            server.close();
            stopped.countDown();
        });
        // Every server thread is a daemon, so main stays to keep the process alive until a signal.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Server start(CommandLine cl) throws Exception {
        Path folder = null;
        Path janusJcfg = null;
        String config = cl.get("config");
        if (config != null) {
            Path p = Path.of(config);
            if (Files.isDirectory(p)) {
                folder = p;
            } else if (Files.isRegularFile(p)) {
                janusJcfg = p;
                folder = p.toAbsolutePath().getParent();
            } else {
                throw new IllegalArgumentException("--config " + config + ": no such file or folder");
            }
        }
        if (cl.get("configs-folder") != null) {
            folder = Path.of(cl.get("configs-folder"));
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("--configs-folder " + folder + ": no such folder");
            }
        }
        ConfigFolder configs = new ConfigFolder(folder);
        ConfigGroup root = janusJcfg != null ? JcfgParser.parseFile(janusJcfg) : configs.load("janus.jcfg");
        CoreSettings.Builder b = CoreSettings.builder(root);
        applyCommandLine(b, cl);
        CoreSettings settings = b.build();
        LogControl.get().configure(settings.debugLevel, settings.debugTimestamps, settings.debugColors,
                settings.logToStdout, settings.logFile);
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Configuration: {}", folder == null ? "embedded defaults" : folder.toAbsolutePath());
        ConfigGroup general = root.group("general");
        for (String option : C_ONLY_FOLDERS) {
            if (general.has(option)) {
                log.debug("Ignoring general.{}: Portunus's modules are built in", option);
            }
        }
        if (cl.has("plugins-folder")) {
            log.debug("Ignoring --plugins-folder: Portunus's modules are built in");
        }
        writePidFile(cl.get("pid-file"));
        return new Server(settings, configs).start();
    }

    /** Command-line values win over janus.jcfg, as in Janus. */
    static void applyCommandLine(CoreSettings.Builder b, CommandLine cl) {
        if (cl.get("interface") != null) {
            b.localIp = cl.get("interface");
        }
        if (cl.get("server-name") != null) {
            b.serverName = cl.get("server-name");
        }
        if (cl.integer("session-timeout") != null) {
            b.sessionTimeout = cl.integer("session-timeout");
        }
        if (cl.integer("reclaim-session-timeout") != null) {
            b.reclaimSessionTimeout = cl.integer("reclaim-session-timeout");
        }
        if (cl.integer("debug-level") != null) {
            b.debugLevel = cl.integer("debug-level");
        }
        if (cl.has("debug-timestamps")) {
            b.debugTimestamps = true;
        }
        if (cl.has("disable-colors")) {
            b.debugColors = false;
        }
        if (cl.has("disable-stdout")) {
            b.logToStdout = false;
        }
        if (cl.get("log-file") != null) {
            b.logFile = cl.get("log-file");
        }
        if (cl.get("apisecret") != null) {
            b.apiSecret = cl.get("apisecret");
        }
        if (cl.has("token-auth")) {
            b.tokenAuth = true;
        }
        if (cl.get("token-auth-secret") != null) {
            b.tokenAuthSecret = cl.get("token-auth-secret");
        }
        if (cl.has("event-handlers")) {
            b.eventHandlers = true;
        }
        if (cl.get("stun-server") != null) {
            String s = cl.get("stun-server");
            b.stunServer = s.contains(":") ? s : s + ":3478";
        }
        if (cl.has("ipv6-candidates")) {
            b.ipv6 = true;
        }
        if (cl.has("ipv6-link-local")) {
            b.ipv6LinkLocal = true;
        }
        if (cl.has("full-trickle")) {
            b.fullTrickle = true;
        }
        if (cl.has("ice-lite")) {
            b.iceLite = true;
        }
        if (cl.has("ice-tcp")) {
            b.iceTcp = true;
        }
        if (cl.integer("min-nack-queue") != null) {
            b.minNackQueue = cl.integer("min-nack-queue");
        }
        if (cl.integer("no-media-timer") != null) {
            b.noMediaTimer = cl.integer("no-media-timer");
        }
        if (cl.integer("slowlink-threshold") != null) {
            b.slowlinkThreshold = cl.integer("slowlink-threshold");
        }
        if (cl.integer("twcc-period") != null) {
            b.twccPeriod = cl.integer("twcc-period");
        }
        if (cl.get("rtp-port-range") != null) {
            b.rtpPortRange = cl.get("rtp-port-range");
        }
        if (cl.get("cert-pem") != null) {
            b.certPem = cl.get("cert-pem");
        }
        if (cl.get("cert-key") != null) {
            b.certKey = cl.get("cert-key");
        }
        if (cl.get("cert-pwd") != null) {
            b.certPwd = cl.get("cert-pwd");
        }
        if (cl.get("ice-enforce-list") != null) {
            b.iceEnforceList = cl.get("ice-enforce-list");
        }
        if (cl.get("ice-ignore-list") != null) {
            b.iceIgnoreList = cl.get("ice-ignore-list");
        }
        if (cl.has("no-webrtc-encryption")) {
            b.webrtcEncryption = false;
        }
    }

    private static void writePidFile(String pidFile) throws IOException {
        if (pidFile != null) {
            Files.writeString(Path.of(pidFile), ProcessHandle.current().pid() + "\n");
        }
    }
}
