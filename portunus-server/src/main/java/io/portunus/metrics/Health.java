package io.portunus.metrics;

import io.portunus.core.Gateway;
import io.portunus.core.spi.OperatorRoutes.Answer;

import java.nio.charset.StandardCharsets;

/**
 * {@code /health/live} and {@code /health/ready} for load balancers and Kubernetes probes.
 * Live: the process answers HTTP (200 whenever it can answer at all). Ready: 200 only once
 * start-up is over (every transport listening, the core-started event out) and while new
 * sessions are accepted; 503 while starting, while draining ({@code accept_new_sessions}
 * false, Admin API) and while stopping. The body says which, as a small JSON object.
 */
public final class Health {
    private enum Phase { STARTING, RUNNING, STOPPING }

    private static final String JSON = "application/json";
    private final Gateway gateway;
    private volatile Phase phase = Phase.STARTING;

    public Health(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Start-up is over: ready from now on, unless draining. */
    public void started() {
        if (phase == Phase.STARTING) {
            phase = Phase.RUNNING;
        }
    }

    /** Shutdown began: not ready any more. */
    public void stopping() {
        phase = Phase.STOPPING;
    }

    /** The readiness state by name: starting, ready, draining or stopping. */
    public String state() {
        return switch (phase) {
            case STARTING -> "starting";
            case STOPPING -> "stopping";
            case RUNNING -> gateway.acceptNewSessions() ? "ready" : "draining";
        };
    }

    Answer live() {
        return json(200, "{\"status\":\"live\"}");
    }

    Answer ready() {
        String state = state();
        return json(state.equals("ready") ? 200 : 503, "{\"status\":\"" + state + "\"}");
    }

    private static Answer json(int status, String body) {
        return new Answer(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }
}
