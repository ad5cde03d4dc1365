/** Not API: the HTTP server's and client's JFR events, loaded only once JFR runs. */
package dev.spindle.http.internal.observe;
