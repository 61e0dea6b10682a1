package io.portunus.config;

import io.portunus.config.jcfg.ConfigGroup;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The core's settings from {@code janus.jcfg} (groups general, certificates, media, nat,
 * plugins, transports, loggers, events), with Janus's defaults for everything absent, after
 * the command line has overridden what it names. Immutable: what can change at run time
 * (session timeout, log level, ...) lives in the gateway's runtime state, seeded from here.
 */
public final class CoreSettings {
    public final Path configsFolder;
    public final String serverName;
    public final int debugLevel;
    public final boolean debugTimestamps;
    public final boolean debugColors;
    public final boolean logToStdout;
    public final String logFile;
    public final int sessionTimeout;
    public final int reclaimSessionTimeout;
    public final int candidatesTimeout;
    public final String apiSecret;
    public final boolean tokenAuth;
    public final String tokenAuthSecret;
    public final String adminSecret;
    public final String localIp;
    public final boolean opaqueIdInApi;
    public final boolean hideDependencies;
    public final boolean eventHandlers;
    public final Events events;
    public final int taskPoolSize;
    public final List<String> protectedFolders;
    /** Portunus's own: where Admin API captures may go (null: ./captures), and the size cap per capture (0: none). */
    public final String capturesFolder;
    /** Portunus-only: the root every {@code .mjr} recording is confined to (null: ./recordings). */
    public final String recordingsFolder;
    public final long capturesMaxBytes;
    public final Set<String> disabledModules;
    public final Media media;
    /** {@code certificates} group: DTLS certificate and key (PEM); null to generate one at start. */
    public final String certPem;
    public final String certKey;
    public final String certPwd;
    /** Portunus's media.dtls_role: "active" (Janus's choice: we are the DTLS client) or "passive". */
    public final String dtlsRole;
    /** Portunus's media.srtp_profiles: SRTP profiles to negotiate, in preference order; empty = all four. */
    public final List<String> srtpProfiles;

    /**
     * The {@code events} group beyond {@code broadcast} and {@code disable} (events.md §1);
     * {@code sequenceNumbers} is Portunus's own opt-in {@code sequence_numbers} (a {@code seq}
     * header key for de-duplication).
     */
    public record Events(int statsPeriod, boolean combineMediaStats, boolean sequenceNumbers) {
    }

    /** ICE/media options reported by {@code info}; used by the media core. */
    public record Media(boolean ipv6, boolean ipv6LinkLocal, boolean iceLite, boolean iceTcp, boolean fullTrickle,
                        String iceNomination, boolean iceKeepaliveConncheck, boolean mdnsEnabled, int minNackQueue,
                        boolean nackOptimizations, int twccPeriod, int dtlsMtu, int noMediaTimer,
                        int slowlinkThreshold, String stunServer, String turnServer, boolean allowForceRelay,
                        String rtpPortRange, boolean webrtcEncryption, String iceEnforceList, String iceIgnoreList) {
    }

    private CoreSettings(Builder b) {
        configsFolder = b.configsFolder;
        serverName = b.serverName;
        debugLevel = b.debugLevel;
        debugTimestamps = b.debugTimestamps;
        debugColors = b.debugColors;
        logToStdout = b.logToStdout;
        logFile = b.logFile;
        sessionTimeout = b.sessionTimeout;
        reclaimSessionTimeout = b.reclaimSessionTimeout;
        candidatesTimeout = b.candidatesTimeout;
        apiSecret = emptyToNull(b.apiSecret);
        tokenAuth = b.tokenAuth;
        tokenAuthSecret = emptyToNull(b.tokenAuthSecret);
        adminSecret = emptyToNull(b.adminSecret);
        localIp = b.localIp;
        opaqueIdInApi = b.opaqueIdInApi;
        hideDependencies = b.hideDependencies;
        eventHandlers = b.eventHandlers;
        events = new Events(b.statsPeriod, b.combineMediaStats, b.eventSequenceNumbers);
        taskPoolSize = b.taskPoolSize;
        protectedFolders = List.copyOf(b.protectedFolders);
        capturesFolder = emptyToNull(b.capturesFolder);
        recordingsFolder = emptyToNull(b.recordingsFolder);
        capturesMaxBytes = Math.max(0, b.capturesMaxSizeMb) * 1024L * 1024L;
        disabledModules = Set.copyOf(b.disabledModules);
        certPem = b.certPem;
        certKey = b.certKey;
        certPwd = b.certPwd;
        dtlsRole = b.dtlsRole;
        srtpProfiles = List.copyOf(b.srtpProfiles);
        media = new Media(b.ipv6, b.ipv6LinkLocal, b.iceLite, b.iceTcp, b.fullTrickle, b.iceNomination,
                b.iceKeepaliveConncheck, b.mdnsEnabled, b.minNackQueue, b.nackOptimizations, b.twccPeriod, b.dtlsMtu,
                b.noMediaTimer, b.slowlinkThreshold, b.stunServer, b.turnServer, b.allowForceRelay, b.rtpPortRange,
                b.webrtcEncryption, b.iceEnforceList, b.iceIgnoreList);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Stored-token mode: token auth on, and tokens kept in a table managed by the Admin API. */
    public boolean storedTokens() {
        return tokenAuth && tokenAuthSecret == null;
    }

    /** Settings with every default, as with no {@code janus.jcfg} at all. */
    public static CoreSettings defaults() {
        return new Builder(new ConfigGroup()).build();
    }

    public static Builder builder(ConfigGroup janusJcfg) {
        return new Builder(janusJcfg);
    }

    /** Starts from a parsed {@code janus.jcfg}; the command line then overwrites fields. */
    public static final class Builder {
        public Path configsFolder;
        public String serverName;
        public int debugLevel;
        public boolean debugTimestamps;
        public boolean debugColors;
        public boolean logToStdout;
        public String logFile;
        public int sessionTimeout;
        public int reclaimSessionTimeout;
        public int candidatesTimeout;
        public String apiSecret;
        public boolean tokenAuth;
        public String tokenAuthSecret;
        public String adminSecret;
        public String localIp;
        public boolean opaqueIdInApi;
        public boolean hideDependencies;
        public boolean eventHandlers;
        public int statsPeriod;
        public boolean combineMediaStats;
        public boolean eventSequenceNumbers;
        public int taskPoolSize;
        public List<String> protectedFolders;
        public String capturesFolder;
        public String recordingsFolder;
        public long capturesMaxSizeMb;
        public Set<String> disabledModules = new HashSet<>();
        public boolean ipv6;
        public boolean ipv6LinkLocal;
        public boolean iceLite;
        public boolean iceTcp;
        public boolean fullTrickle;
        public String iceNomination;
        public boolean iceKeepaliveConncheck;
        public boolean mdnsEnabled;
        public int minNackQueue;
        public boolean nackOptimizations;
        public int twccPeriod;
        public int dtlsMtu;
        public int noMediaTimer;
        public int slowlinkThreshold;
        public String stunServer;
        public String turnServer;
        public boolean allowForceRelay;
        public String rtpPortRange;
        public boolean webrtcEncryption;
        public String iceEnforceList;
        public String certPem;
        public String certKey;
        public String certPwd;
        public String dtlsRole;
        public List<String> srtpProfiles;
        public String iceIgnoreList;

        Builder(ConfigGroup root) {
            ConfigGroup general = root.group("general");
            ConfigGroup media = root.group("media");
            ConfigGroup nat = root.group("nat");
            String folder = general.string("configs_folder", null);
            configsFolder = folder == null ? null : Path.of(folder);
            serverName = general.string("server_name", "MyJanusInstance");
            debugLevel = (int) general.integer("debug_level", 4);
            debugTimestamps = general.bool("debug_timestamps", false);
            // Janus's option is inverted: "debug_colors = false" disables colours.
            debugColors = general.bool("debug_colors", true);
            logToStdout = general.bool("log_to_stdout", true);
            logFile = general.string("log_to_file", null);
            sessionTimeout = (int) general.integer("session_timeout", 60);
            reclaimSessionTimeout = (int) general.integer("reclaim_session_timeout", 0);
            candidatesTimeout = (int) general.integer("candidates_timeout", 45);
            apiSecret = general.string("api_secret", null);
            tokenAuth = general.bool("token_auth", false);
            tokenAuthSecret = general.string("token_auth_secret", null);
            adminSecret = general.string("admin_secret", null);
            localIp = general.string("interface", null);
            opaqueIdInApi = general.bool("opaqueid_in_api", false);
            hideDependencies = general.bool("hide_dependencies", false);
            taskPoolSize = (int) general.integer("task_pool_size", 0);
            protectedFolders = general.stringList("protected_folders");
            capturesFolder = general.string("captures_folder", null);
            recordingsFolder = general.string("recordings_folder", null);
            capturesMaxSizeMb = general.integer("captures_max_size_mb", 1024);
            webrtcEncryption = !general.bool("no_webrtc_encryption", false);
            eventHandlers = root.group("events").bool("broadcast", false);
            statsPeriod = (int) root.group("events").integer("stats_period", 1);
            combineMediaStats = root.group("events").bool("combine_media_stats", false);
            eventSequenceNumbers = root.group("events").bool("sequence_numbers", false);
            for (String category : List.of("plugins", "transports", "loggers", "events")) {
                disabledModules.addAll(root.group(category).stringList("disable"));
            }
            minNackQueue = (int) media.integer("min_nack_queue", 200);
            nackOptimizations = media.bool("nack_optimizations", false);
            twccPeriod = (int) media.integer("twcc_period", 200);
            dtlsMtu = (int) media.integer("dtls_mtu", 1200);
            noMediaTimer = (int) media.integer("no_media_timer", 1);
            slowlinkThreshold = (int) media.integer("slowlink_threshold", 0);
            rtpPortRange = media.string("rtp_port_range", null);
            dtlsRole = media.string("dtls_role", "active");
            srtpProfiles = media.stringList("srtp_profiles");
            ConfigGroup certificates = root.group("certificates");
            certPem = certificates.string("cert_pem", null);
            certKey = certificates.string("cert_key", null);
            certPwd = certificates.string("cert_pwd", null);
            iceEnforceList = nat.string("ice_enforce_list", null);
            iceIgnoreList = nat.string("ice_ignore_list", "vmnet");
            ipv6 = media.bool("ipv6", false);
            ipv6LinkLocal = media.bool("ipv6_linklocal", false);
            iceLite = nat.bool("ice_lite", false);
            iceTcp = nat.bool("ice_tcp", false);
            fullTrickle = nat.bool("full_trickle", false);
            iceNomination = nat.string("ice_nomination", "aggressive");
            iceKeepaliveConncheck = nat.bool("ice_keepalive_conncheck", false);
            mdnsEnabled = !nat.bool("ignore_mdns", false);
            String stun = nat.string("stun_server", null);
            stunServer = stun == null ? null : stun + ":" + nat.integer("stun_port", 3478);
            String turn = nat.string("turn_server", null);
            turnServer = turn == null ? null : turn + ":" + nat.integer("turn_port", 3478);
            allowForceRelay = nat.bool("allow_force_relay", false);
        }

        public CoreSettings build() {
            if (sessionTimeout < 0) {
                sessionTimeout = 0;
            }
            if (statsPeriod < 0) {
                // Janus warns and keeps its default (events.md §1).
                org.slf4j.LoggerFactory.getLogger(CoreSettings.class)
                        .warn("Invalid events.stats_period {}, using 1", statsPeriod);
                statsPeriod = 1;
            }
            if (candidatesTimeout <= 0) {
                candidatesTimeout = 45;
            }
            if (debugLevel < 0 || debugLevel > 7) {
                throw new IllegalArgumentException("debug_level must be 0-7, got " + debugLevel);
            }
            return new CoreSettings(this);
        }
    }
}
