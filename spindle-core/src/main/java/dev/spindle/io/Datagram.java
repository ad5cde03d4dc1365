package dev.spindle.io;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One UDP datagram received by a {@link DatagramEndpoint}: its payload and who sent it.
 *
 * {@snippet :
 * Datagram d = endpoint.receive();
 * System.out.println(d.sender() + " says " + d.text());
 * endpoint.send(d.data(), d.sender()); // reply
 * }
 *
 * <p>The payload array belongs to the record: nothing else holds it. Unlike a plain record holding an array,
 * {@link #equals} and {@link #hashCode} compare payloads by content.
 *
 * @param data the payload, whole (a {@link DatagramEndpoint} receives into a buffer larger than any UDP payload)
 * @param sender the address and port the datagram came from
 */
public record Datagram(byte[] data, InetSocketAddress sender) {
    public Datagram {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sender, "sender");
    }

    /** The payload's length in bytes. */
    public int length() {
        return data.length;
    }

    /** The payload decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && Arrays.equals(data, d.data) && sender.equals(d.sender);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + sender.hashCode();
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + sender + "]";
    }
}
