/**
 * One connection's protocol engine ({@link dev.spindle.mysql.internal.protocol.Session}): login, commands, the reply
 * state machine, the statement cache, and the clean-up (KILL QUERY, drain, settle) after an interrupted reply. Not API.
 */
package dev.spindle.mysql.internal.protocol;
