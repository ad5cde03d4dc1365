/**
 * JSON columns through Jackson, an optional dependency: nothing here loads until a JSON value is read or written.
 * Not API.
 */
package dev.spindle.mysql.internal.json;
