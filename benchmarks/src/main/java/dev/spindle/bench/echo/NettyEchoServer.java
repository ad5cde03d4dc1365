package dev.spindle.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The echo benchmark's Netty server: one event loop thread, with the NIO or the native epoll transport, that
 * accepts and serves every connection (so it compares with one Spindle loop).
 *
 * <p>Each connection writes back every buffer it reads, as it is, and flushes once per batch of reads
 * ({@code channelReadComplete}), the usual efficient Netty echo. The server listens on 127.0.0.1 only and runs
 * until the process is killed. {@code benchmarks/echo.sh} starts it and drives it with the project's load client.
 *
 * {@snippet :
 * // java -cp benchmarks.jar dev.spindle.bench.echo.NettyEchoServer --transport epoll --port 7001
 * NettyEchoServer.main(new String[] {"--transport", "epoll", "--port", "7001"});
 * }
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    /** Writes back what it reads; stateless, so one instance serves every connection. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise()); // the buffer is released once written
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A client that resets its connection is not the server's failure: close that one and go on.
            ctx.close();
        }
    }

    /**
     * Runs the server: {@code --transport nio|epoll --port P}.
     *
     * @throws IllegalArgumentException on a bad command line
     * @throws IllegalStateException when the epoll transport is asked for and cannot load
     */
    public static void main(String[] args) throws InterruptedException {
        String transport = "nio";
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--transport" -> transport = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw usage();
            }
        }
        if (args.length % 2 != 0 || port < 1 || port > 65535) {
            throw usage();
        }
        IoHandlerFactory io;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "nio" -> {
                io = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
                }
                io = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            default -> throw usage();
        }
        // One group of one thread for both accepting and serving: one loop, like the other servers.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            var server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(Echo.INSTANCE)
                    .bind("127.0.0.1", port)
                    .sync()
                    .channel();
            System.err.printf(
                    "NettyEchoServer: %s, one event loop thread, listening on 127.0.0.1:%d%n", transport, port);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static IllegalArgumentException usage() {
        return new IllegalArgumentException("usage: NettyEchoServer --transport nio|epoll --port P");
    }
}
