/** Spindle's http module (in construction). */
package dev.spindle.http;
