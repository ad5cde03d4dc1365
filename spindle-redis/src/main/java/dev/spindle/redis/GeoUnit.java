package dev.spindle.redis;

/** Distance units of the geo commands. */
public enum GeoUnit {
    M,
    KM,
    MI,
    FT
}
