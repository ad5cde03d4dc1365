/** SQL text handling that never touches values: the named-parameter scanner. Not API. */
package dev.spindle.mysql.internal.sql;
