package io.portunus.transports.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.portunus.core.JanusError;
import io.portunus.core.Json;
import io.portunus.core.spi.OperatorRoutes;
import io.portunus.core.spi.TransportContext;
import io.portunus.core.spi.TransportSession;
import io.portunus.transports.HttpLimits;
import io.portunus.transports.ServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One HTTP connection of the Janus or Admin API server: the REST mapping of transports.md
 * §1.3-§1.4 (paths, ids injected from the path, long polls, CORS, Janus's HTTP-level errors).
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);
    static final long LONG_POLL_SECONDS = 30;
    static final long REPLY_TIMEOUT_SECONDS = 10;
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final TransportContext context;
    private final ServerEndpoint endpoint;
    private final HttpOptions options;
    private final TransportSession instance;
    private final LongPollQueues queues;
    private final AtomicInteger inFlight;
    /** Health and metrics (Portunus's own endpoints), or null. */
    private final OperatorRoutes routes;
    /** The long-lived response this connection carries (the dashboard's live feed), or null. */
    private StreamedResponse stream;

    HttpRequestHandler(TransportContext context, ServerEndpoint endpoint, HttpOptions options,
                       TransportSession instance, LongPollQueues queues, AtomicInteger inFlight,
                       OperatorRoutes routes) {
        this.routes = routes;
        this.context = context;
        this.endpoint = endpoint;
        this.options = options;
        this.instance = instance;
        this.queues = queues;
        this.inFlight = inFlight;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!endpoint.acl().allows(remoteIp(ctx))) {
            LOG.warn("{}: refusing connection from {} (acl)", endpoint.label(), remoteIp(ctx));
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (HttpLimits.rejectIfMalformed(ctx, req.decoderResult(), options.limits())) {
            return;
        }
        // Probes and scrapes next: no transport event for them (a scrape a second would flood the handlers).
        if (routes != null && answeredOperatorRoute(ctx, req)) {
            return;
        }
        notifyRequestEvent(ctx);
        HttpHeaders headers = req.headers();
        if (!Cors.allowed(headers, options)) {
            sendEmpty(ctx, req, HttpResponseStatus.FORBIDDEN);
            return;
        }
        HttpMethod method = req.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            sendEmpty(ctx, req, HttpResponseStatus.OK);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (endpoint.admin() && path.startsWith(SchemaFiles.PREFIX)) {
            serveSchema(ctx, req, path);
            return;
        }
        String base = endpoint.basePath();
        if (!path.equals(base) && !path.startsWith(base + "/")) {
            sendEmpty(ctx, req, HttpResponseStatus.NOT_FOUND);
            return;
        }
        String[] parts = path.substring(base.length()).split("/");
        List<String> ids = Arrays.stream(parts).filter(p -> !p.isEmpty()).toList();
        if (ids.size() > 2) {
            sendEmpty(ctx, req, HttpResponseStatus.NOT_FOUND);
            return;
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.POST)) {
            sendJson(ctx, req, Json.error(0, null, JanusError.TRANSPORT_SPECIFIC.code(), "Unsupported method " + method.name()));
            return;
        }
        if (ids.size() == 1 && (ids.get(0).equals("info") || ids.get(0).equals("ping"))) {
            serveInfoOrPing(ctx, req, ids.get(0));
            return;
        }
        long sessionId = ids.isEmpty() ? 0 : parseId(ids.get(0));
        long handleId = ids.size() < 2 ? 0 : parseId(ids.get(1));
        if (method.equals(HttpMethod.GET)) {
            if (endpoint.admin()) {
                // The Admin API has no long poll: a GET is a request without its payload (as Janus answers).
                sendJson(ctx, req, Json.error(0, null, JanusError.INVALID_JSON.code(), "Request payload missing"));
            } else if (sessionId <= 0 || handleId < 0) {
                sendEmpty(ctx, req, HttpResponseStatus.NOT_FOUND);
            } else {
                longPoll(ctx, req, uri, sessionId, handleId);
            }
            return;
        }
        if (req.content().readableBytes() == 0) {
            // Janus closes the connection without a reply here; an error tells the client why.
            sendJson(ctx, req, Json.error(0, null, JanusError.INVALID_JSON.code(), "Request payload missing"));
            return;
        }
        JsonNode body;
        try (ByteBufInputStream in = new ByteBufInputStream(req.content())) {
            body = READER.readTree((InputStream) in);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            sendJson(ctx, req, Json.error(0, null, JanusError.INVALID_JSON.code(),
                    "JSON error: on line " + line + ": " + e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            sendJson(ctx, req, Json.error(0, null, JanusError.INVALID_JSON.code(), "JSON error: " + e.getMessage()));
            return;
        }
        if (body == null || !body.isObject()) {
            sendJson(ctx, req, Json.error(0, null, JanusError.INVALID_JSON_OBJECT.code(), "JSON error: not an object"));
            return;
        }
        ObjectNode request = (ObjectNode) body;
        String transaction = request.path("transaction").isTextual() ? request.get("transaction").asText() : null;
        // An id in the path that is not a plain number in range names nothing that can exist.
        if (sessionId < 0) {
            sendJson(ctx, req, Json.error(0, transaction, JanusError.SESSION_NOT_FOUND.code(),
                    "No such session " + ids.get(0)));
            return;
        }
        if (handleId < 0) {
            sendJson(ctx, req, Json.error(sessionId, transaction, JanusError.HANDLE_NOT_FOUND.code(),
                    "No such handle " + ids.get(1) + " in session " + sessionId));
            return;
        }
        if (!injectId(request, "session_id", sessionId)) {
            sendJson(ctx, req, Json.error(sessionId, transaction, JanusError.INVALID_REQUEST_PATH.code(),
                    "Conflicting session ID (payload and path)"));
            return;
        }
        if (!injectId(request, "handle_id", handleId)) {
            sendJson(ctx, req, Json.error(sessionId, transaction, JanusError.INVALID_REQUEST_PATH.code(),
                    "Conflicting handle ID (payload and path)"));
            return;
        }
        dispatch(ctx, req, request);
    }

    /** {@code /health/*} and {@code /metrics} (Portunus's own, {@link OperatorRoutes}); false for any other path. */
    private boolean answeredOperatorRoute(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] body = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), body);
        OperatorRoutes.Answer answer = routes.answer(req.method().name(), new QueryStringDecoder(req.uri()).path(),
                endpoint.admin(), req.headers().get(HttpHeaderNames.AUTHORIZATION), body);
        if (answer == null) {
            return false;
        }
        if (answer.stream() != null) {
            stream = StreamedResponse.start(ctx, answer);
            return true;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        send(ctx, req, response);
        return true;
    }

    private void serveInfoOrPing(ChannelHandlerContext ctx, FullHttpRequest req, String what) {
        if (!req.method().equals(HttpMethod.GET)) {
            if (endpoint.admin() && what.equals("info")) {
                sendJson(ctx, req, Json.error(0, null, JanusError.TRANSPORT_SPECIFIC.code(), "Use GET for the info endpoint"));
            } else {
                sendEmpty(ctx, req, HttpResponseStatus.BAD_REQUEST);
            }
            return;
        }
        ObjectNode request = Json.object();
        request.put("janus", what);
        request.put("transaction", randomTransaction());
        dispatch(ctx, req, request);
    }

    /** GET /schema/<name>.json on the admin server: a JSON Schema from the jar (no secret: nothing private). */
    private void serveSchema(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        if (!req.method().equals(HttpMethod.GET)) {
            sendEmpty(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        SchemaFiles.find(path).ifPresentOrElse(schema -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(schema));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, SchemaFiles.CONTENT_TYPE);
            send(ctx, req, response);
        }, () -> sendEmpty(ctx, req, HttpResponseStatus.NOT_FOUND));
    }

    /** Hands the request to the core; the reply (or a close after 10 s) ends the HTTP exchange. */
    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req, ObjectNode request) {
        inFlight.incrementAndGet();
        PendingReply pending = new PendingReply(ctx, HttpUtil.isKeepAlive(req), Cors.Preflight.of(req.headers()), request);
        context.incomingRequest(instance, request, endpoint.admin(), pending);
        pending.armTimeoutIfUnanswered();
    }

    /**
     * One request's reply: written once, or the connection is closed when none comes within
     * {@link #REPLY_TIMEOUT_SECONDS}. Most replies arrive before {@code incomingRequest}
     * returns, and then no timer is set at all (a timer set and cancelled per request showed
     * in the Admin API's profile).
     */
    private final class PendingReply extends AtomicBoolean implements Consumer<ObjectNode> {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final Cors.Preflight preflight;
        private final ObjectNode request;
        private volatile ScheduledFuture<?> timeout;

        PendingReply(ChannelHandlerContext ctx, boolean keepAlive, Cors.Preflight preflight, ObjectNode request) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.preflight = preflight;
            this.request = request;
        }

        @Override
        public void accept(ObjectNode reply) {
            if (compareAndSet(false, true)) {
                inFlight.decrementAndGet();
                ScheduledFuture<?> t = timeout;
                if (t != null) {
                    t.cancel(false);
                }
                writeJson(ctx, keepAlive, preflight, reply);
            }
        }

        void armTimeoutIfUnanswered() {
            if (!get()) {
                ScheduledFuture<?> t = ctx.executor().schedule(this::expire, REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                timeout = t;
                if (get()) {
                    t.cancel(false); // answered meanwhile, from another thread
                }
            }
        }

        private void expire() {
            if (compareAndSet(false, true)) {
                inFlight.decrementAndGet();
                LOG.warn("No reply within {} s to {}; closing the connection", REPLY_TIMEOUT_SECONDS, request.path("janus").asText());
                ctx.close();
            }
        }
    }

    private void longPoll(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, long sessionId, long handleId) {
        String apisecret = first(uri, "apisecret");
        String token = first(uri, "token");
        if (!context.isAuthorized(apisecret, token)) {
            sendEmpty(ctx, req, HttpResponseStatus.FORBIDDEN);
            return;
        }
        // A long poll counts as a keepalive for the session, as in Janus.
        ObjectNode keepalive = Json.object();
        keepalive.put("janus", "keepalive");
        keepalive.put("session_id", sessionId);
        keepalive.put("transaction", randomTransaction());
        if (apisecret != null) {
            keepalive.put("apisecret", apisecret);
        }
        if (token != null) {
            keepalive.put("token", token);
        }
        context.incomingRequest(instance, keepalive, false, ack -> { });
        if (handleId > 0) {
            FullHttpResponse redirect = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
            redirect.headers().set(HttpHeaderNames.LOCATION, endpoint.basePath() + "/" + sessionId);
            send(ctx, req, redirect);
            return;
        }
        LongPollQueue queue = queues.get(sessionId);
        if (queue == null) {
            sendEmpty(ctx, req, HttpResponseStatus.NOT_FOUND);
            return;
        }
        int maxev = 1;
        String maxevParam = first(uri, "maxev");
        if (maxevParam != null) {
            try {
                maxev = Math.max(1, Integer.parseInt(maxevParam.trim()));
            } catch (NumberFormatException e) {
                maxev = 1;
            }
        }
        HttpPoller poller = new HttpPoller(ctx, HttpUtil.isKeepAlive(req), Cors.Preflight.of(req.headers()), maxev);
        queue.poll(poller);
        ctx.executor().schedule(() -> queue.expire(poller), LONG_POLL_SECONDS, TimeUnit.SECONDS);
    }

    /** A parked long poll on this connection. */
    private final class HttpPoller implements LongPollQueue.Poller {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final Cors.Preflight preflight;
        private final int maxEvents;

        HttpPoller(ChannelHandlerContext ctx, boolean keepAlive, Cors.Preflight preflight, int maxEvents) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.preflight = preflight;
            this.maxEvents = maxEvents;
        }

        @Override
        public boolean isOpen() {
            return ctx.channel().isActive();
        }

        @Override
        public int maxEvents() {
            return maxEvents;
        }

        @Override
        public void complete(List<ObjectNode> events, Consumer<List<ObjectNode>> onFailure) {
            JsonNode payload;
            if (maxEvents == 1) {
                payload = events.get(0);
            } else {
                var array = Json.NODES.arrayNode();
                events.forEach(array::add);
                payload = array;
            }
            writeJson(ctx, keepAlive, preflight, payload).addListener(f -> {
                if (!f.isSuccess()) {
                    onFailure.accept(events);
                }
            });
        }

        @Override
        public void keepalive() {
            ObjectNode ka = Json.object();
            ka.put("janus", "keepalive");
            JsonNode payload = maxEvents == 1 ? ka : Json.NODES.arrayNode().add(ka);
            writeJson(ctx, keepAlive, preflight, payload);
        }
    }

    /** Puts the path's id into the request; false when the body names a different one. */
    private static boolean injectId(ObjectNode request, String key, long pathId) {
        if (pathId <= 0) {
            return true;
        }
        JsonNode existing = request.get(key);
        if (existing == null || existing.isNull()) {
            request.put(key, pathId);
            return true;
        }
        return existing.isIntegralNumber() && existing.asLong() == pathId;
    }

    /** A path id: a plain decimal from 1 to 2^63-1 (no sign, no leading zero), else -1. */
    static long parseId(String s) {
        if (s.isEmpty() || s.length() > 19 || s.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String randomTransaction() {
        char[] c = new char[11];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length()));
        }
        return new String(c);
    }

    private void sendJson(ChannelHandlerContext ctx, FullHttpRequest req, ObjectNode json) {
        writeJson(ctx, HttpUtil.isKeepAlive(req), Cors.Preflight.of(req.headers()), json);
    }

    private void sendEmpty(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status) {
        send(ctx, req, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status));
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse response) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        Cors.apply(response.headers(), req.headers(), options);
        finish(ctx, HttpUtil.isKeepAlive(req), response);
    }

    /** A 200 with the JSON in the transport's style, written once into the socket's buffer ({@link JsonFormat#buffer}). */
    private ChannelFuture writeJson(ChannelHandlerContext ctx, boolean keepAlive, Cors.Preflight preflight, JsonNode json) {
        ByteBuf body = options.json().buffer(json, ctx.alloc());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        Cors.apply(response.headers(), preflight, options);
        return finish(ctx, keepAlive, response);
    }

    private static ChannelFuture finish(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        return future;
    }

    /** The transport event of every request, as Janus sends it (transports.md §1.6). */
    private void notifyRequestEvent(ChannelHandlerContext ctx) {
        if (options.control().events() && context.eventsEnabled()) {
            ObjectNode data = Json.object();
            data.put("event", "request");
            data.put("admin_api", endpoint.admin());
            data.put("ip", remoteIp(ctx));
            data.put("port", ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getPort() : 0);
            context.notifyEvent(instance, data);
        }
    }

    private static String remoteIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (stream != null && ctx.channel().isWritable()) {
            stream.drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: connection error: {}", endpoint.label(), cause.toString());
        ctx.close();
    }
}
