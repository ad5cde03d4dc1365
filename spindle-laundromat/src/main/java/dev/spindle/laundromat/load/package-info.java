/**
 * The load script ({@link dev.spindle.laundromat.load.LoadScript}): simulated customers as coroutines on one loop,
 * through Spindle's HTTP client; a progress bar, then throughput, latency percentiles and loop lag. Bounded in count
 * and time, 127.0.0.1 only.
 *
 * {@snippet lang=text :
 * ./mvnw -q -pl spindle-laundromat validate exec:exec -Ddemo.main=dev.spindle.laundromat.load.LoadScript \
 *     -Ddemo.args="--customers=2000 --concurrency=200"
 * }
 */
package dev.spindle.laundromat.load;
