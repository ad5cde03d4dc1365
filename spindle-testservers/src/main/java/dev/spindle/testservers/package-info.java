/**
 * Real servers for tests: {@link dev.spindle.testservers.ServerProcess} starts one on a free port of 127.0.0.1 with a
 * temporary data directory, and can kill and restart it; {@link dev.spindle.testservers.Binaries} finds the programs
 * and fails naming the Debian package when one is missing. Protocol modules add their own fixture here (a Redis
 * server, a MariaDB server) built on these two, and use this module in test scope only. No mocks of servers.
 */
package dev.spindle.testservers;
