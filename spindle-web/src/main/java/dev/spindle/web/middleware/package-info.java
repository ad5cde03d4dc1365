/**
 * Middleware around every request ({@link dev.spindle.web.middleware.Middleware}, last added outermost) and
 * Starlette's standard ones: {@link dev.spindle.web.middleware.CORSMiddleware},
 * {@link dev.spindle.web.middleware.GZipMiddleware}, {@link dev.spindle.web.middleware.TrustedHostMiddleware},
 * {@link dev.spindle.web.middleware.HTTPSRedirectMiddleware}.
 */
package dev.spindle.web.middleware;
