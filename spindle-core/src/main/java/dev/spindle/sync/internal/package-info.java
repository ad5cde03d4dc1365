/** Not API: the wait line and loop binding shared by Spindle's synchronization primitives and queues. */
package dev.spindle.sync.internal;
