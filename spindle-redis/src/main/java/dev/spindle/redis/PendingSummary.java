package dev.spindle.redis;

import java.util.Map;

/**
 * XPENDING's summary of a consumer group: how many entries are delivered but not acknowledged, the lowest and highest
 * of their ids (null when none), and how many each consumer holds.
 */
public record PendingSummary(long count, String lowestId, String highestId, Map<String, Long> consumers) {}
