/**
 * Diagnostics routes an application may mount: {@link dev.spindle.web.debug.TaskDumpRoute} serves Spindle's task dump,
 * off unless a token is configured.
 */
package dev.spindle.web.debug;
