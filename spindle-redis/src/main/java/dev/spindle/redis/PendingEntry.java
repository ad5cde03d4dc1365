package dev.spindle.redis;

import java.time.Duration;

/** One entry of XPENDING's extended form: its id, who holds it, since when, and how often it was delivered. */
public record PendingEntry(String id, String consumer, Duration idle, long deliveries) {}
