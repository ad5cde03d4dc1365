/** The test client's transports: in memory ({@code LocalCall}) and the JDK's HTTP client ({@code SocketCall}). */
package dev.spindle.web.testing.internal;
