package dev.spindle.redis;

/**
 * When EXPIRE (and HEXPIRE) applies: {@code NX} only without a TTL, {@code XX} only with one, {@code GT} only if
 * later, {@code LT} only if sooner.
 */
public enum ExpireCondition {
    NX,
    XX,
    GT,
    LT
}
