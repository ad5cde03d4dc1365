/**
 * What handlers answer: {@link dev.spindle.web.responses.Response} (JSON, HTML, text, redirect, streaming, server-sent
 * events, JSON lines, files) and {@link dev.spindle.web.responses.Cookie}s with every RFC 6265 attribute.
 */
package dev.spindle.web.responses;
