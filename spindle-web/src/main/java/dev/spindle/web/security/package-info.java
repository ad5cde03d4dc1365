/**
 * Security helpers as dependencies (FastAPI's {@code fastapi.security}): {@link
 * dev.spindle.web.security.OAuth2PasswordBearer} with {@link dev.spindle.web.security.OAuth2PasswordRequestForm},
 * {@link dev.spindle.web.security.HTTPBearer}, {@link dev.spindle.web.security.HTTPBasic}, API keys in a header, query
 * or cookie. Each is a {@link dev.spindle.web.security.SecurityScheme}: the routes using it list it in OpenAPI, and
 * Swagger UI's Authorize dialog offers it. Scopes go on {@code @Depends(scopes = ...)} and are read through {@link
 * dev.spindle.web.SecurityScopes}.
 */
package dev.spindle.web.security;
