package io.portunus.transports.http;

import io.portunus.transports.HttpLimits;
import io.portunus.transports.JsonFormat;
import io.portunus.transports.TransportControl;

/** The HTTP transport's options that every request handler needs. */
record HttpOptions(TransportControl control, String allowOrigin, boolean enforceCors, int maxRequestSize,
                   long maxQueuedEvents, HttpLimits limits) {

    /** The JSON format in force (query_transport can change it at run time). */
    JsonFormat json() {
        return control.json();
    }
}
