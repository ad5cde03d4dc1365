/**
 * Not API: how observation is implemented. {@code Dumper} takes task dumps ({@code DumpText} and {@code Json} render
 * them); {@code StallSampler} is the stall watchdog's job on core's one sampler thread
 * ({@code loop.internal.Watchdog}); {@code LagProbes} holds each loop's metrics view and lag probe; {@code Jfr} is the
 * gate in front of the JFR event classes, which are loaded only once JFR runs; {@code Diagnostics} is the MBean
 * {@code spindle-ps} calls.
 */
package dev.spindle.observe.internal;
