package io.portunus.transports.http;

import io.portunus.transports.JsonFormat;

/** The HTTP transport's options that every request handler needs. */
record HttpOptions(JsonFormat json, String allowOrigin, boolean enforceCors, int maxRequestSize, long maxQueuedEvents) {
}
