package io.portunus.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.config.CoreSettings;
import io.portunus.config.jcfg.ConfigGroup;
import io.portunus.net.EventLoops;

import java.util.function.Consumer;

/** What the core offers a transport. */
public interface TransportContext {

    /** The transport's own {@code janus.transport.<name>.jcfg}, or an empty group. */
    ConfigGroup config();

    CoreSettings core();

    /** The shared network threads every TCP transport runs on. */
    EventLoops eventLoops();

    /**
     * A parsed request. {@code reply} is called exactly once with the answer (possibly from
     * another thread); asynchronous events of sessions bound to {@code instance} go to
     * {@link TransportSession#sendEvent}.
     */
    void incomingRequest(TransportSession instance, JsonNode request, boolean admin, Consumer<ObjectNode> reply);

    /**
     * Whether an {@code apisecret}/{@code token} pair passes the core's either/or check, for
     * transports that authorise requests themselves (HTTP long polls).
     */
    boolean isAuthorized(String apisecret, String token);

    /** The instance is gone (connection closed): its sessions are destroyed or left to reclaim. */
    void transportGone(TransportSession instance);

    /** Whether event handlers are on in the core (so that transport events are worth building). */
    default boolean eventsEnabled() {
        return false;
    }

    /**
     * A transport event (type 128) about {@code instance}, whose {@code data} is the
     * transport's own object (transports.md §7). The core adds the package name and the
     * instance's number, the same as in the session {@code created} events of that instance.
     */
    default void notifyEvent(TransportSession instance, ObjectNode data) {
    }

    /**
     * The health and metrics endpoints for an HTTP transport (Portunus's own): health always;
     * {@code /metrics} when {@code metrics} is true, behind {@code Authorization: Bearer
     * <metricsToken>} when the token is not null. Asking with {@code metrics} true switches
     * metric collection on. Null when the core offers none.
     */
    default OperatorRoutes operatorRoutes(boolean metrics, String metricsToken) {
        return null;
    }
}
