/**
 * Testing kit: {@link dev.spindle.test.TestLoop}, a loop on virtual time (sleeps and timeouts end at once while the
 * clock advances exactly as if they had waited) that fails a test leaving tasks running or failures unretrieved;
 * and {@link dev.spindle.test.SpindleTest}, a JUnit 5 annotation that runs each test method as a coroutine on a
 * fresh {@code TestLoop}.
 *
 * <p>The JUnit classes ({@code SpindleTest}, {@code SpindleExtension}) need JUnit Jupiter on the class path, which
 * spindle-core declares as an optional dependency: everything else here works without it.
 */
package dev.spindle.test;
