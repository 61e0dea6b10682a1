package io.portunus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.core.event.EventSink;
import io.portunus.core.event.GatewayEvents;
import io.portunus.core.spi.Plugin;
import io.portunus.core.spi.PluginException;
import io.portunus.core.spi.Transport;
import io.portunus.core.spi.TransportSession;
import io.portunus.net.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The core: sessions, handles, the loaded modules and the run-time switches. Knows nothing of
 * JSON requests (that is {@code api/}) nor of sockets (that is {@code transports/}); it does
 * build the few asynchronous events the core itself sends to clients (detached, timeout, hangup).
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How often expired sessions are looked for, as Janus's watchdog (janus-api.md §8). */
    static final long WATCHDOG_PERIOD_MS = 2_000;

    private final CoreSettings settings;
    private final Clock clock;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final SessionIds sessionIds = new SessionIds();
    private final Map<String, Plugin> plugins;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final TokenStore tokens;
    private final ExecutorService workers = Threads.virtualPerTask("portunus-worker-");
    private final ScheduledExecutorService watchdog = Threads.scheduler("portunus-watchdog");

    private final LiveSettings live;
    private final String adminSecret;
    private volatile EventSink events = EventSink.DISABLED;
    private volatile boolean acceptNewSessions = true;
    /** Told of each handle about to be detached, while it still has its PeerConnection (the dashboard's history). */
    private volatile Consumer<Handle> detachObserver = handle -> { };
    private volatile int sessionTimeout;

    public Gateway(CoreSettings settings, Map<String, Plugin> plugins, Clock clock) {
        this.settings = settings;
        this.plugins = Map.copyOf(plugins);
        this.clock = clock;
        this.sessionTimeout = settings.sessionTimeout;
        this.tokens = new TokenStore(settings.tokenAuthSecret);
        this.live = new LiveSettings(settings.media);
        this.adminSecret = settings.adminSecret != null ? settings.adminSecret : generatedAdminSecret();
    }

    /**
     * Janus runs an Admin API with no secret when none is configured; Portunus makes one up
     * instead and logs it once, so an Admin API is never open by accident.
     */
    private static String generatedAdminSecret() {
        String secret = TokenStore.randomSecret();
        LOG.warn("No admin_secret configured: this run's Admin API secret is {}", secret);
        return secret;
    }

    /** The Admin API secret in force: the configured one, or the one generated at start. */
    public String adminSecret() {
        return adminSecret;
    }

    public LiveSettings live() {
        return live;
    }

    public void start() {
        watchdog.scheduleAtFixedRate(this::checkSessions, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Destroys every session, then stops the worker threads. */
    public void stop() {
        watchdog.shutdownNow();
        for (Session s : List.copyOf(sessions.values())) {
            destroySession(s, false);
        }
        workers.shutdown();
    }

    private volatile WebRtcSignalling webRtc;

    /** The WebRTC side of the handles (set by the server at start, before any transport). */
    public WebRtcSignalling webRtc() {
        return webRtc;
    }

    public void webRtc(WebRtcSignalling signalling) {
        webRtc = signalling;
    }

    /** Where the core's events go (a disabled sink unless {@code events.broadcast}). */
    public EventSink events() {
        return events;
    }

    public void events(EventSink sink) {
        events = sink;
    }

    public CoreSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public TokenStore tokens() {
        return tokens;
    }

    /** Where plugin messages and other possibly slow work run: never on an I/O thread. */
    public ExecutorService workers() {
        return workers;
    }

    public Map<String, Plugin> plugins() {
        return plugins;
    }

    public List<Transport> transports() {
        return transports;
    }

    public void addTransport(Transport transport) {
        transports.add(transport);
    }

    public boolean acceptNewSessions() {
        return acceptNewSessions;
    }

    public void acceptNewSessions(boolean accept) {
        acceptNewSessions = accept;
    }

    /** Global session timeout in seconds (0 = never). */
    public int sessionTimeout() {
        return sessionTimeout;
    }

    public void sessionTimeout(int seconds) {
        sessionTimeout = seconds;
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    /**
     * The live session ids, each as its decimal digits in ASCII, from a flat index: much
     * cheaper than walking {@link #sessions()} when listing thousands of sessions. The same
     * object is returned until a session is created or destroyed.
     */
    public DecimalIds sessionIdsDecimal() {
        return sessionIds.snapshot();
    }

    public Session session(long id) {
        return sessions.get(id);
    }

    // ---- sessions -------------------------------------------------------------------------

    /**
     * Creates a session bound to {@code transport}; {@code wantedId} > 0 asks for that id.
     *
     * @throws ApiException 468 when the wanted id is taken
     */
    public Session createSession(long wantedId, TransportSession transport) throws ApiException {
        long now = clock.monotonicMicros();
        Session session;
        if (wantedId > 0) {
            session = new Session(wantedId, transport, now);
            if (sessions.putIfAbsent(wantedId, session) != null) {
                throw new ApiException(JanusError.SESSION_CONFLICT);
            }
        } else {
            do {
                session = new Session(Ids.random(), transport, now);
            } while (sessions.putIfAbsent(session.id(), session) != null);
        }
        sessionIds.add(session);
        transport.sessionCreated(session.id());
        events.emit(GatewayEvents.sessionCreated(session.id(), transport));
        LOG.debug("Created session {} on {}", session.id(), transport.transportName());
        return session;
    }

    /** Any valid request on a session counts as activity (janus-api.md §2.2 step 5). */
    public void touch(Session session) {
        session.touch(clock.monotonicMicros());
    }

    /**
     * Destroys a session: every handle is detached (each sending {@code detached} to the
     * client), the transport is told the session is over. Safe to call twice.
     */
    public void destroySession(Session session, boolean timeout) {
        if (!session.markDestroyed()) {
            return;
        }
        sessions.remove(session.id(), session);
        sessionIds.remove(session);
        for (Handle h : List.copyOf(session.handles())) {
            detach(h, true);
        }
        TransportSession transport = session.transport();
        if (timeout) {
            transport.sendEvent(Json.message("timeout", session.id(), null));
        }
        transport.sessionOver(session.id(), timeout, false);
        events.emit(GatewayEvents.sessionOver(session.id(), timeout));
        LOG.debug("Session {} {}", session.id(), timeout ? "timed out" : "destroyed");
    }

    /** Re-binds a session to {@code instance} (the {@code claim} request). */
    public void claim(Session session, TransportSession instance) {
        TransportSession old = session.transport();
        if (old == instance) {
            return;
        }
        old.sessionOver(session.id(), false, true);
        session.bind(instance);
        instance.sessionClaimed(session.id());
    }

    /**
     * A transport instance went away: its sessions are destroyed at once, or, with a reclaim
     * timeout, left for the watchdog unless another instance claims them first.
     */
    public void transportGone(TransportSession instance) {
        for (Session s : List.copyOf(sessions.values())) {
            if (s.transport() != instance) {
                continue;
            }
            if (settings.reclaimSessionTimeout < 1) {
                destroySession(s, false);
            } else {
                s.markTransportGone();
            }
        }
    }

    /**
     * The watchdog's pass (every {@value #WATCHDOG_PERIOD_MS} ms): expires idle sessions and
     * sessions whose transport left too long ago, by the gateway's clock. Public so that a test
     * that moved the clock runs the pass at once instead of waiting for it.
     */
    public void checkSessions() {
        try {
            long now = clock.monotonicMicros();
            int global = sessionTimeout;
            for (Session s : List.copyOf(sessions.values())) {
                int timeout = s.timeoutSeconds() < 0 ? global : s.timeoutSeconds();
                long idle = now - s.lastActivityMicros();
                boolean expired = timeout > 0 && idle >= timeout * 1_000_000L;
                boolean abandoned = s.transportGone() && idle >= settings.reclaimSessionTimeout * 1_000_000L;
                if (expired || abandoned) {
                    LOG.info("Timeout expired for session {}", s.id());
                    destroySession(s, true);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Session watchdog failed", e);
        }
    }

    // ---- handles --------------------------------------------------------------------------

    /**
     * Attaches {@code plugin} to the session.
     *
     * @throws ApiException 461 when the plugin refuses
     */
    public Handle attach(Session session, Plugin plugin, String opaqueId, String token) throws ApiException {
        Handle handle;
        do {
            handle = new Handle(session, Ids.random(), plugin, opaqueId, token, clock.monotonicMicros(), workers);
        } while (!session.addHandle(handle));
        try {
            plugin.createSession(handle);
        } catch (PluginException e) {
            session.removeHandle(handle);
            throw new ApiException(JanusError.PLUGIN_ATTACH, "Couldn't attach to plugin: error '" + e.errorCode() + "'");
        }
        events.emit(GatewayEvents.attached(handle));
        if (session.isDestroyed()) {
            // Lost a race with destroy: undo so no handle outlives its session.
            detach(handle, false);
            throw new ApiException(JanusError.SESSION_NOT_FOUND, "No such session " + session.id());
        }
        return handle;
    }

    /**
     * Detaches a handle: the plugin session is destroyed and, when {@code notify}, a
     * {@code detached} event goes to the client. Returns false if it was already detached.
     */
    public boolean detach(Handle handle, boolean notify) {
        // Before the handle is marked: handle_info still shows its plugin (a racing second detach
        // only repeats the observer's snapshot).
        try {
            detachObserver.accept(handle);
        } catch (RuntimeException e) {
            LOG.warn("Detach observer failed on handle {}: {}", handle.handleId(), e.toString());
        }
        if (!handle.markDetached()) {
            return false;
        }
        handle.session().removeHandle(handle);
        var pc = handle.takePeerConnectionForTeardown();
        if (pc != null) {
            pc.close("Detach");
        }
        try {
            handle.plugin().destroySession(handle);
        } catch (PluginException | RuntimeException e) {
            LOG.warn("Plugin {} failed to destroy handle {}: {}", handle.plugin().info().packageName(),
                    handle.handleId(), e.getMessage());
        }
        events.emit(GatewayEvents.detached(handle));
        if (notify) {
            notify(handle.session(), handleEvent("detached", handle));
        }
        return true;
    }

    /**
     * Who is told of each handle just before it is detached, on the detaching thread, with the
     * handle still whole (its PeerConnection, its plugin session): one observer, set at start-up.
     */
    public void observeDetach(Consumer<Handle> observer) {
        detachObserver = observer;
    }

    /** {@code {"janus":kind,"session_id":S,"sender":H,"opaque_id":O?}}, the core's handle events. */
    public ObjectNode handleEvent(String kind, Handle handle) {
        ObjectNode event = Json.message(kind, handle.sessionId(), null);
        event.put("sender", handle.handleId());
        if (settings.opaqueIdInApi && handle.opaqueId() != null) {
            event.put("opaque_id", handle.opaqueId());
        }
        return event;
    }

    /** Sends an asynchronous event through the session's current transport instance. */
    public void notify(Session session, ObjectNode event) {
        try {
            session.transport().sendEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("Could not deliver event to session {}: {}", session.id(), e.toString());
        }
    }

    public long nowSeconds() {
        return clock.wallMicros() / 1_000_000L;
    }
}
