/** Not API: small helpers shared by Spindle's packages. */
package dev.spindle.task.internal;
