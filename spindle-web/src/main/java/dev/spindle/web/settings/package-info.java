/** Settings from environment variables and {@code .env} files into records: {@link dev.spindle.web.settings.Settings}. */
package dev.spindle.web.settings;
