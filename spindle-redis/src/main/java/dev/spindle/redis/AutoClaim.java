package dev.spindle.redis;

import java.util.List;

/**
 * XAUTOCLAIM's result: the id to continue from ({@code 0-0} when the scan is complete), the entries claimed, and the
 * ids of pending entries that no longer exist in the stream (deleted from the pending list).
 */
public record AutoClaim<K, V>(String nextId, List<StreamEntry<K, V>> claimed, List<String> deletedIds) {}
