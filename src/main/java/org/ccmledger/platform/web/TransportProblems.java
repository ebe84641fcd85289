package org.ccmledger.platform.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the refusals of the HTTP server itself a problem body. A request the HTTP codec cannot take (a request line
 * over the limit: 414; headers over the limit: 431; not HTTP: 400) never reaches Spring, and Reactor Netty answers it
 * with the bare status and an empty body; so does any other empty refusal. A handler next to the codec fills such an
 * empty 4xx or 5xx in as an RFC 9457 problem like every other refusal of the service (title and detail the status's
 * reason phrase, nothing from the request).
 */
@Component
class TransportProblems implements NettyServerCustomizer {

    static final String HANDLER = "ccm.emptyRefusalAsProblem";

    @Override
    public HttpServer apply(HttpServer server) {
        return AfterHttpCodec.install(server, HANDLER, EmptyRefusalAsProblem::new);
    }

    /** Rewrites a complete response with a 4xx or 5xx status, no body and no content type into a problem. */
    static final class EmptyRefusalAsProblem extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof FullHttpResponse response && response.status().code() >= 400
                    && response.content().readableBytes() == 0
                    && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
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
    }
}
