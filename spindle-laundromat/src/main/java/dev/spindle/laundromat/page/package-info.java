/**
 * The web page at {@code /} ({@link dev.spindle.laundromat.page.PageRoutes}): plain HTML, CSS and JavaScript in one
 * resource, no build step. It shows the machines filling and emptying live and starts washes.
 *
 * {@snippet :
 * app.include(new PageRoutes());
 * }
 */
package dev.spindle.laundromat.page;
