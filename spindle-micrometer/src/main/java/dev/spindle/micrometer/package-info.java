/**
 * Spindle's metrics in Micrometer: {@link dev.spindle.micrometer.SpindleMetrics} binds every loop (ready-queue depth,
 * lag, tasks alive and spawned, steps) and every registered connection pool (size, in use, waiters, wait time) to a
 * {@code MeterRegistry}, following loops and pools as they come and go. The figures come from core's
 * {@link dev.spindle.observe.Metrics}; this module only names and tags them.
 */
package dev.spindle.micrometer;
