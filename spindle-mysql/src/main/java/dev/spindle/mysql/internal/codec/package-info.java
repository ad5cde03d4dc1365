/**
 * The MySQL client/server protocol as pure functions of bytes, with no I/O: packet framing (3-byte length, sequence
 * id, 16 MiB splitting and joining), the handshake, capability flags, OK/ERR/EOF packets, column definitions, text and
 * binary rows, COM_STMT_EXECUTE parameters, length-encoded integers and strings. Every read is bounds-checked and
 * fails with {@link dev.spindle.mysql.ProtocolError}. Not API.
 */
package dev.spindle.mysql.internal.codec;
