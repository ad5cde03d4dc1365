/**
 * Not API: how generators run. {@code InlineCarrier} lets a platform thread carry virtual threads (a synchronous
 * generator's producer, greenlets) on itself while it waits for them; {@code AsyncGeneratorCore} is an async
 * generator's state machine, tracked by its loop; {@code FlowIterator} and {@code FlowPublisher} bridge
 * {@link java.util.concurrent.Flow} with backpressure.
 */
package dev.spindle.gen.internal;
