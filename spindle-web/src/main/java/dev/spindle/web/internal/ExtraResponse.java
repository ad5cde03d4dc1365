package dev.spindle.web.internal;

/** An extra OpenAPI response of a route or router ({@link dev.spindle.web.ApiResponse}). */
public record ExtraResponse(int status, String description, Class<?> model) {}
