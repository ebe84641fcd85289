package org.ccmledger.platform.web;

import java.util.function.Supplier;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/** Puts a handler of ours right after Reactor Netty's HTTP codec on every connection, once. */
final class AfterHttpCodec {

    private AfterHttpCodec() {
    }

    static HttpServer install(HttpServer server, String name, Supplier<? extends ChannelHandler> handler) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(name) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, name, handler.get());
            }
        });
    }
}
