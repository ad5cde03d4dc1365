/** Spindle's mysql module (in construction). */
package dev.spindle.mysql;
