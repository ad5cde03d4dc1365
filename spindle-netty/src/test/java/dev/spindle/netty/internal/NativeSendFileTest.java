package dev.spindle.netty.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-copy path of {@link NettyTransport#sendFile} is really there: Netty's native sendfile entry is found (a
 * Netty upgrade that renames it fails here instead of quietly taking the copying path), and the JDK's file channels
 * may be handed to it. The transfers themselves are tested by core's {@code SendFileTest}, rerun on this backend.
 */
class NativeSendFileTest {
    @Test
    void nettysNativeSendFileIsFoundAndTakesTheJdksFileChannels(@TempDir Path dir) throws Exception {
        assertTrue(NativeSendFile.available(), "LinuxSocket.sendFile(int, DefaultFileRegion, long, long, long) found");
        Path f = Files.writeString(dir.resolve("a.txt"), "hello");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertTrue(NativeSendFile.accepts(ch), ch.getClass().getName());
        }
    }
}
