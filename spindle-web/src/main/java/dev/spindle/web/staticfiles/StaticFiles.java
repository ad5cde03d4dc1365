package dev.spindle.web.staticfiles;

import dev.spindle.web.Endpoint;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.internal.UrlCodec;
import dev.spindle.web.responses.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Files of a directory, mounted under a path (Starlette's {@code StaticFiles}): GET and HEAD, with the server's ETag,
 * Last-Modified, conditional requests (304) and ranges (206/416); in HTML mode, {@code index.html} for a directory and
 * {@code 404.html} for what is missing.
 *
 * {@snippet :
 * app.mount("/static", StaticFiles.directory(Path.of("static")));
 * app.mount("/", StaticFiles.directory(Path.of("site")).html(true));   // a static site
 * }
 *
 * <h2>Safety</h2>
 * A request path is decoded, then refused (404) if a segment is {@code ..}, holds a backslash or NUL, or if the
 * resolved file, symbolic links followed, is outside the directory.
 */
public final class StaticFiles implements Endpoint {
    private final Path root;
    private final boolean html;

    private StaticFiles(Path root, boolean html) {
        this.root = root;
        this.html = html;
    }

    /**
     * Serves the files under {@code directory}.
     *
     * @throws IllegalArgumentException if it is not a directory
     */
    public static StaticFiles directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory.toAbsolutePath());
        }
        try {
            return new StaticFiles(directory.toRealPath(), false);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + directory, e);
        }
    }

    /** With HTML mode on: {@code index.html} for directories, {@code 404.html} for missing files. */
    public StaticFiles html(boolean on) {
        return new StaticFiles(root, on);
    }

    @Override
    public Object handle(Request request) throws Exception {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw new HTTPException(405, "Method Not Allowed", Map.of("Allow", "GET, HEAD"));
        }
        Path file = resolve(request.path());
        if (file != null && Files.isDirectory(file)) {
            if (html) {
                if (!request.path().endsWith("/")) {
                    String q = request.rawQuery();
                    return Response.redirect(
                            request.rootPath() + request.path() + "/" + (q.isEmpty() ? "" : "?" + q), 307);
                }
                file = file.resolve("index.html");
            } else {
                file = null;
            }
        }
        if (file != null && Files.isRegularFile(file) && inside(file)) {
            return Response.file(file);
        }
        if (html) {
            Path notFound = root.resolve("404.html");
            if (Files.isRegularFile(notFound)) {
                return Response.html(Files.readString(notFound)).status(404);
            }
        }
        throw new HTTPException(404, "Not Found");
    }

    private Path resolve(String rawPath) {
        Path p = root;
        for (String raw : rawPath.split("/")) {
            String seg = UrlCodec.decode(raw, false);
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") || seg.indexOf('\\') >= 0 || seg.indexOf('\0') >= 0 || seg.indexOf('/') >= 0) {
                return null;
            }
            p = p.resolve(seg);
        }
        return p.normalize().startsWith(root) ? p : null;
    }

    private boolean inside(Path file) {
        try {
            return file.toRealPath().startsWith(root)
                    && !Files.isSymbolicLink(root)
                    && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
    }
}
