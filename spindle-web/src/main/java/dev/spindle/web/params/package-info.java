/**
 * Where a handler's parameters come from: {@link dev.spindle.web.params.Path}, {@link dev.spindle.web.params.Query},
 * {@link dev.spindle.web.params.Header}, {@link dev.spindle.web.params.Cookie}, {@link dev.spindle.web.params.Form},
 * {@link dev.spindle.web.params.File} and {@link dev.spindle.web.params.Body}, with {@link
 * dev.spindle.web.params.Default} values and {@link dev.spindle.web.params.Field} metadata for record components.
 *
 * <p>A parameter without an annotation is, as in FastAPI: a path parameter if the path names it; a body if its type is
 * a record, map or collection of records; one of the framework's objects if its type is ({@code Request},
 * {@code Response}, {@code BackgroundTasks}, {@code SecurityScopes}); otherwise a query parameter.
 *
 * <p>Conversions: {@code String}, {@code int}, {@code long}, {@code double}, {@code float}, {@code short},
 * {@code boolean} (pydantic's words: true/false, 1/0, yes/no, on/off), {@code BigDecimal}, {@code BigInteger},
 * {@code UUID}, enums (by value), {@code LocalDate}, {@code LocalDateTime}, {@code OffsetDateTime}, {@code Instant},
 * {@code LocalTime}, {@code Duration}; wrapped in {@code Optional} or {@code List}/{@code Set}.
 */
package dev.spindle.web.params;
