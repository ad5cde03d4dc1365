/** The test client's transports: in memory through the server's codec ({@code MemoryCall}) and the JDK's HTTP client ({@code SocketCall}). */
package dev.spindle.web.testing.internal;
