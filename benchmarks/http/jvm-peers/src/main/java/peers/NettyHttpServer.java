package peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * Netty's own HTTP codec on native epoll, written the way TechEmpower's Netty entry is: a {@link HttpServerCodec},
 * one handler answering /plaintext and /json, a Date header, flushes batched per read.
 */
public final class NettyHttpServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        var group = new MultiThreadIoEventLoopGroup(args.threads, EpollIoHandler.newFactory());
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind("127.0.0.1", args.port)
                .sync()
                .channel();
        System.err.println("netty http on " + ch.localAddress() + ", " + args.threads + " event loop(s)");
        ch.closeFuture().sync();
    }

    static final class Handler extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof HttpRequest req)) {
                return; // LastHttpContent of a GET: nothing to do
            }
            String uri = req.uri();
            FullHttpResponse res;
            if (uri.equals("/plaintext")) {
                res = response(Unpooled.wrappedBuffer(HELLO), HttpHeaderValues.TEXT_PLAIN);
            } else if (uri.equals("/json")) {
                res = response(
                        Unpooled.wrappedBuffer(MAPPER.writeValueAsBytes(new Message("Hello, World!"))),
                        HttpHeaderValues.APPLICATION_JSON);
            } else {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
                res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!keepAlive) {
                ctx.write(res).addListener(f -> ctx.close());
            } else {
                ctx.write(res);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private static FullHttpResponse response(ByteBuf body, CharSequence type) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, type)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, HttpDate.now());
            return res;
        }
    }

}
