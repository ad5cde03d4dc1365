/**
 * Not API: Spindle's second I/O backend, on Netty 4.2's native transports. {@link
 * dev.spindle.netty.internal.NettyPoller} is the loop's {@link dev.spindle.loop.internal.IoPoller}: the loop's thread
 * runs a {@link io.netty.channel.ManualIoEventLoop} (epoll or io_uring, see {@link
 * dev.spindle.netty.internal.IoDriver}) whenever it waits, so readiness never crosses threads. Sockets are Netty's
 * native unix sockets, registered on the handler as {@link dev.spindle.netty.internal.FdHandle}s (no Netty
 * {@code Channel}, pipeline or {@code ByteBuf}); {@link dev.spindle.netty.internal.NettyTransport} and {@link
 * dev.spindle.netty.internal.NettyListener} (streams) and {@link dev.spindle.netty.internal.NettyUdpSocket} (UDP)
 * implement core's transport seam, and {@link dev.spindle.netty.internal.NettyBackend} is the {@code netty} backend
 * that {@code -Dspindle.io.backend} names.
 */
package dev.spindle.netty.internal;
