package dev.spindle.redis;

/** A GEOSEARCH hit: the member, its distance from the centre (in the search's unit), and where it is. */
public record GeoResult<V>(V member, double distance, GeoCoordinates coordinates) {}
