/**
 * The laundromat floor: {@link dev.spindle.laundromat.washes.Floor} keeps the machines and runs each wash as a
 * coroutine ({@code sleep} for its duration over the speed factor, then DONE in MariaDB and a ready notification on
 * the Redis stream), pushing every change to the live feed; it saves washes at shutdown and resumes them at start.
 *
 * {@snippet :
 * Wash w = floor.start(customerId, Optional.empty(), "cotton", Duration.ofMinutes(30));
 * }
 */
package dev.spindle.laundromat.washes;
