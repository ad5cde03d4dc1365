package dev.spindle.redis;

/** A longitude and latitude in degrees. */
public record GeoCoordinates(double longitude, double latitude) {}
