/** Static files under a mount point: {@link dev.spindle.web.staticfiles.StaticFiles}. */
package dev.spindle.web.staticfiles;
