package org.ccmledger.platform.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.http.server.HttpServer;

/**
 * Keeps a kept-alive HTTP/1.1 connection reading once a response is out. Reactor Netty 1.3.6 reads on demand and can
 * lose the demand when a request arrives before the previous response's exchange has terminated and is then answered
 * at once (a 401, a refused Accept, a health check): the connection stays open but reads nothing more, and the
 * client's next request hangs until its own timeout (reactor/reactor-netty#4361, #4347). After every complete
 * response this asks the connection for one more read, which is what Reactor Netty does itself when it does not lose
 * the demand. Remove it with a Reactor Netty release that fixes the issue: {@code KeepAliveHttpTest} shows whether it
 * is still needed.
 */
@Component
class KeepAliveReads implements NettyServerCustomizer {

    static final String HANDLER = "ccm.readAfterResponse";

    @Override
    public HttpServer apply(HttpServer server) {
        return AfterHttpCodec.install(server, HANDLER, ReadAfterResponse::new);
    }

    /** Once the last part of a response is written, requests a read on the connection (from the event loop). */
    static final class ReadAfterResponse extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent) {
                ChannelPromise written = promise.unvoid();
                written.addListener(future -> {
                    Channel channel = ctx.channel();
                    if (future.isSuccess() && channel.isActive()) {
                        channel.eventLoop().execute(() -> {
                            if (channel.isActive()) {
                                ctx.read();
                            }
                        });
                    }
                });
                ctx.write(msg, written);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}
