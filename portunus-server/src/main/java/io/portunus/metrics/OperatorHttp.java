package io.portunus.metrics;

import io.portunus.core.spi.OperatorRoutes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operators' endpoints of one HTTP transport: health on its Janus and Admin servers,
 * {@code /metrics} on its Admin server when switched on, behind a bearer token when one is
 * configured. The Admin server's bind address and ACL apply, as to every request there.
 */
final class OperatorHttp implements OperatorRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final Health health;
    private final Metrics metrics;
    private final byte[] expectedAuthorization;

    /** {@code metrics} null: no {@code /metrics} on this transport. */
    OperatorHttp(Health health, Metrics metrics, String metricsToken) {
        this.health = health;
        this.metrics = metrics;
        this.expectedAuthorization = metricsToken == null || metricsToken.isEmpty() ? null
                : ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Answer answer(String method, String path, boolean admin, String authorization) {
        boolean metricsPath = admin && metrics != null && path.equals("/metrics");
        if (!path.equals("/health/live") && !path.equals("/health/ready") && !metricsPath) {
            return null;
        }
        if (!method.equals("GET")) {
            return json(405, "{\"error\":\"use GET\"}");
        }
        return switch (path) {
            case "/health/live" -> health.live();
            case "/health/ready" -> health.ready();
            default -> scrape(authorization);
        };
    }

    private Answer scrape(String authorization) {
        if (expectedAuthorization != null && (authorization == null
                || !MessageDigest.isEqual(expectedAuthorization, authorization.trim().getBytes(StandardCharsets.UTF_8)))) {
            return json(401, "{\"error\":\"a bearer token is required\"}");
        }
        return new Answer(200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static Answer json(int status, String body) {
        return new Answer(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }
}
