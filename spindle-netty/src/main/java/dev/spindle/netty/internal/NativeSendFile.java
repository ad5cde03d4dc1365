package dev.spindle.netty.internal;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.FileChannel;

/**
 * Not API: sendfile(2) through Netty's native library, for {@link NettyTransport#sendFile}.
 *
 * <p>Netty does it for its own epoll channels with a {@link DefaultFileRegion} and {@code LinuxSocket.sendFile}, whose
 * Java entry is package-private and whose native half takes a descriptor and a region: {@code
 * sendFile(int fd, DefaultFileRegion region, long base, long offset, long length)}, returning the bytes sent or a
 * negative errno. Spindle's sockets are plain {@code Socket}s (accepted ones) or {@code LinuxSocket}s (dialled
 * ones), so this looks the native method up once (Netty is on the class path, its packages open to this one) and
 * calls it with the socket's descriptor. If the lookup fails (another Netty version), {@link #available()} is false
 * and the transport uses the copying path.
 *
 * <p>The native code reads the JDK's {@code FileChannelImpl} descriptor field out of the region's channel, so only
 * the JDK's own file channels may go through here ({@link #accepts}); any other {@link FileChannel} takes the copying
 * path. The region is never released: releasing it would close the caller's channel.
 */
final class NativeSendFile {
    private static final MethodHandle SEND_FILE = lookup();
    private static final String JDK_FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";

    private NativeSendFile() {}

    private static MethodHandle lookup() {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(LinuxSocket.class, MethodHandles.lookup());
            return l.findStatic(
                    LinuxSocket.class,
                    "sendFile",
                    MethodType.methodType(
                            long.class, int.class, DefaultFileRegion.class, long.class, long.class, long.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    static boolean available() {
        return SEND_FILE != null;
    }

    /** Whether {@code file} may be handed to the native code (the JDK's own file channel). */
    static boolean accepts(FileChannel file) {
        return file.getClass().getName().equals(JDK_FILE_CHANNEL);
    }

    /**
     * One sendfile(2) of up to {@code length} bytes of {@code region}'s file from {@code base + offset} to the
     * non-blocking socket {@code fd}: the count, 0 if the send buffer is full (EAGAIN) or the file has ended.
     */
    static long send(int fd, DefaultFileRegion region, long base, long offset, long length) throws IOException {
        long res;
        try {
            res = (long) SEND_FILE.invokeExact(fd, region, base, offset, length);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("sendfile failed", t);
        }
        return res >= 0 ? res : Errors.ioResult("sendfile", (int) res);
    }
}
