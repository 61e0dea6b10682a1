package io.portunus.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portunus.core.ModuleInfo;

import java.util.ServiceLoader;

/**
 * A transport (HTTP, WebSockets, ...), found with {@link ServiceLoader}. It only
 * moves bytes: it parses JSON, hands requests to the core through {@link TransportContext}
 * and writes back what the core answers.
 */
public interface Transport {

    ModuleInfo info();

    /** Starts listening. Returns false if the configuration enables nothing. */
    boolean start(TransportContext context) throws Exception;

    void stop();

    /** True once started with at least one Janus API (client) server. */
    boolean servesJanusApi();

    /** True once started with at least one Admin API server. */
    boolean servesAdminApi();

    /** Admin {@code query_transport}; null when the transport has nothing to say. */
    default ObjectNode query(ObjectNode request) {
        return null;
    }
}
