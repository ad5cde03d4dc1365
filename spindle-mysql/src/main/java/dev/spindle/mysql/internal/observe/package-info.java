/** Not API: the MySQL client's JFR event, loaded only once JFR runs. */
package dev.spindle.mysql.internal.observe;
