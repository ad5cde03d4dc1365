package dev.spindle.io.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Not API: a connected byte stream as the streams layer sees it, whatever carries it (a JDK channel on the loop's
 * selector, a Netty socket on its {@code IoHandler}, TLS over another transport). Loop-confined: every method runs
 * on the loop's thread, and the waiting ones in a coroutine. Waits park the coroutine with Spindle's own park, so a
 * cancelled read or write withdraws its interest and leaves the connection usable.
 *
 * <p>What a cancellation leaves behind: a cancelled {@link #read} read nothing; a cancelled {@link #write} leaves
 * {@code src.position()} after the bytes that were handed to the kernel (some, all or none).
 */
public interface Transport extends AutoCloseable {
    /**
     * Reads what is available into {@code dst}, waiting until at least one byte is, and returns the count; returns
     * -1 at the end of the stream. {@code dst} must have room.
     */
    int read(ByteBuffer dst) throws IOException;

    /** Reads what is available now without waiting: the count, 0 if nothing is, or -1 at the end of the stream. */
    int tryRead(ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}, waiting while the kernel's send buffer is full. */
    void write(ByteBuffer src) throws IOException;

    /** Writes what fits now without waiting, and returns the count. */
    int tryWrite(ByteBuffer src) throws IOException;

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, waiting while the kernel's send buffer is
     * full, and returns how many were sent: {@code count}, or fewer if the file ends first. The file's own position is
     * neither used nor moved. Transports that can hand the file to the kernel (sendfile(2)) override this; this
     * default reads the file through a 64 KiB buffer and {@linkplain #write writes} it (TLS, pipes).
     *
     * <p>Cancelled: some, all or none of the bytes were sent, and the count is lost; the caller must treat the
     * stream as broken ({@link dev.spindle.io.StreamWriter#sendFile} closes the connection).
     */
    default long sendFile(FileChannel file, long position, long count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, SEND_FILE_BUFFER));
        long sent = 0;
        while (sent < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - sent));
            int n = file.read(buf, position + sent);
            if (n <= 0) {
                break; // the end of the file
            }
            buf.flip();
            write(buf);
            sent += n;
        }
        return sent;
    }

    /** The buffer of {@link #sendFile}'s default, copying path. */
    int SEND_FILE_BUFFER = 64 * 1024;

    /** Ends the outbound direction (a TCP FIN; TLS sends close_notify first); reading goes on. */
    void shutdownOutput() throws IOException;

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    boolean isOpen();

    /** Closes the connection at once; coroutines waiting on it fail with {@link java.nio.channels.ClosedChannelException}. */
    @Override
    void close();

    /**
     * Waits, after {@link #close}, until the close is complete. Returns at once for transports whose close is
     * (sockets, TLS); a pipe to a child process waits for its pump thread to write what it still holds and close the
     * pipe. A cancelled wait changes nothing.
     */
    default void awaitClosed() {}
}
