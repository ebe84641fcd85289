package org.ccmledger.platform.web;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the refusals of the HTTP server itself a problem body. A request the HTTP codec cannot take (a request line
 * over the limit: 414; headers over the limit: 431; not HTTP: 400) never reaches Spring, and Reactor Netty answers it
 * with the bare status and an empty body; so does any other empty refusal. A handler next to the codec fills such an
 * empty 4xx or 5xx in as an RFC 9457 problem like every other refusal of the service (title and detail the status's
 * reason phrase, nothing from the request).
 * <p>
 * The server closes the connection after such a refusal, often before the client has sent all of its request: closed at
 * once, the connection answers the rest with a TCP reset, and a client still writing its body fails on its next write
 * (Reactor Netty's client then reports "Connection prematurely closed BEFORE response") or loses the refusal it had not
 * read yet. So the connection is closed in stages, as RFC 9112 section 9.6 advises: the refusal is sent and the write
 * side shut (after TLS's close_notify on a TLS connection), then whatever the client still sends is read and dropped
 * (the codec discards what follows a request it could not decode) until the client closes its side or {@link #LINGER}
 * has passed.
 */
@Component
class TransportProblems implements NettyServerCustomizer {

    static final String HANDLER = "ccm.emptyRefusalAsProblem";
    /** How long a refused connection keeps reading what the client still sends before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);

    @Override
    public HttpServer apply(HttpServer server) {
        return AfterHttpCodec.install(server, HANDLER, EmptyRefusalAsProblem::new);
    }

    /**
     * Rewrites a complete response with a 4xx or 5xx status, no body and no content type into a problem, and closes
     * the connection after it in stages when the response closes it.
     */
    static final class EmptyRefusalAsProblem extends ChannelOutboundHandlerAdapter {

        private boolean lingerOnClose;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof FullHttpResponse response && response.status().code() >= 400
                    && response.content().readableBytes() == 0
                    && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                lingerOnClose = response.headers().containsValue(HttpHeaderNames.CONNECTION,
                                                                  HttpHeaderValues.CLOSE, true);
                String reason = response.status().reasonPhrase();
                byte[] json = ProblemResponses.json(response.status().code(), reason, reason);
                FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(json));
                problem.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                       .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
                response.release();
                ctx.write(problem, promise);
                return;
            }
            ctx.write(msg, promise);
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (!lingerOnClose || !(ctx.channel() instanceof DuplexChannel channel) || !channel.isActive()
                    || channel.isOutputShutdown()) {
                ctx.close(promise);
                return;
            }
            lingerOnClose = false;
            // the deadline runs from now: a client that reads nothing cannot hold the connection by never taking
            // the close_notify (on the event loop, like the channel's close: a close before it cancels the timer).
            // The caller's promise is completed once the channel is closed, whoever closes it
            ScheduledFuture<?> last = ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(),
                                                              TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> {
                last.cancel(false);
                promise.trySuccess();
            });
            ctx.flush();
            // over TLS the close_notify goes first, while the write side is still open
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            Future<?> closeNotify = tls == null ? ctx.executor().newSucceededFuture(null) : tls.closeOutbound();
            closeNotify.addListener(sent -> channel.shutdownOutput().addListener(shut -> {
                if (shut.isSuccess()) {
                    // read and drop what the client still sends; its own close (end of input) closes the channel
                    channel.config().setAutoRead(true);
                    channel.read();
                } else {
                    ctx.close();
                }
            }));
        }
    }
}
