/**
 * Redis Cluster internals: {@link dev.spindle.redis.internal.cluster.SlotHash} (CRC16 with hash tags) and
 * {@link dev.spindle.redis.internal.cluster.Topology} (the slot map, from CLUSTER SLOTS and MOVED).
 */
package dev.spindle.redis.internal.cluster;
