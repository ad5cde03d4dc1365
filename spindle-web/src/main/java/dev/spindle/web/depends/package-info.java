/**
 * Dependency injection, FastAPI's way: {@link dev.spindle.web.depends.Depends} on a parameter names a dependency
 * class, whose {@link dev.spindle.web.depends.Provides} method (or constructor) has typed parameters of its own;
 * values are cached per request; {@link dev.spindle.web.depends.Yield} adds cleanup after the response. The tree of
 * dependencies is analysed once at startup, and its parameters appear in the route's OpenAPI.
 */
package dev.spindle.web.depends;
