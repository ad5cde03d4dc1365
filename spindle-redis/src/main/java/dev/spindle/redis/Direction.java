package dev.spindle.redis;

/** An end of a list, for LMOVE and BLMOVE. */
public enum Direction {
    LEFT,
    RIGHT
}
