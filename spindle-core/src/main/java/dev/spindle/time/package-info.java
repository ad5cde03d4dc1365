/**
 * Time: a loop's {@link dev.spindle.time.Clock}, deadlines ({@link dev.spindle.time.TimeoutScope}) and
 * {@link dev.spindle.time.TimedOut}.
 */
package dev.spindle.time;
