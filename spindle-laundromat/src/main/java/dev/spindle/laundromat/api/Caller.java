package dev.spindle.laundromat.api;

/** The customer a request is made by, as {@link CurrentCustomer} found it from the bearer token. */
public record Caller(long id) {}
