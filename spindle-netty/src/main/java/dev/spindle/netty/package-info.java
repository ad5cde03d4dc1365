/**
 * Spindle on Netty's native transports: {@link dev.spindle.netty.SpindleNetty#use()} switches a program's sockets
 * to native epoll (or io_uring) sockets driven by each loop's own thread. The implementation lives in {@code
 * dev.spindle.netty.internal}.
 */
package dev.spindle.netty;
