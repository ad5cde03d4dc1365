/** Spindle's redis module (in construction). */
package dev.spindle.redis;
