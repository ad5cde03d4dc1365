package dev.spindle.web.params;

import dev.spindle.http.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Objects;
import java.util.Optional;

/**
 * A file uploaded in a {@code multipart/form-data} body (Starlette's {@code UploadFile}): its client-given name,
 * content type, size and part headers, with the bytes held in memory up to a threshold and spooled to a temporary
 * file past it.
 *
 * {@snippet :
 * @Post("/uploadfile")
 * Map<String, Object> upload(@File UploadFile file) throws IOException {
 *     try (InputStream in = file.open()) {
 *         return Map.of("filename", file.filename(), "size", file.size(), "sha256", sha256(in));
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Lifetime.</b> Valid while the request is served: a spooled file is deleted once the response has been
 *       sent. Copy or move it ({@link #file()}) to keep it.
 *   <li><b>Trust.</b> {@link #filename()} comes from the client: never use it as a path without sanitizing it.
 * </ul>
 */
public final class UploadFile implements AutoCloseable {
    private final String filename;
    private final String contentType;
    private final Headers headers;
    private final byte[] memory;
    private final java.nio.file.Path file;
    private final long size;

    /** An upload held in memory. */
    public UploadFile(String filename, String contentType, Headers headers, byte[] content) {
        this(filename, contentType, headers, Objects.requireNonNull(content, "content"), null, content.length);
    }

    /** An upload spooled to {@code file} (deleted by {@link #close()}). */
    public UploadFile(String filename, String contentType, Headers headers, java.nio.file.Path file, long size) {
        this(filename, contentType, headers, null, Objects.requireNonNull(file, "file"), size);
    }

    private UploadFile(
            String filename, String contentType, Headers headers, byte[] memory, java.nio.file.Path file, long size) {
        this.filename = filename == null ? "" : filename;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.headers = headers == null ? new Headers().readOnly() : headers.readOnly();
        this.memory = memory;
        this.file = file;
        this.size = size;
    }

    /** The file name the client sent ({@code filename} of the part's Content-Disposition); may be empty. */
    public String filename() {
        return filename;
    }

    /** The part's Content-Type ({@code application/octet-stream} if it had none). */
    public String contentType() {
        return contentType;
    }

    /** The part's headers. */
    public Headers headers() {
        return headers;
    }

    /** The size in bytes. */
    public long size() {
        return size;
    }

    /** Whether the content was spooled to a temporary file. */
    public boolean isSpooled() {
        return file != null;
    }

    /** The temporary file holding the content, if spooled. */
    public Optional<java.nio.file.Path> file() {
        return Optional.ofNullable(file);
    }

    /** A fresh stream over the content. */
    public InputStream open() {
        if (memory != null) {
            return new ByteArrayInputStream(memory);
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload " + file, e);
        }
    }

    /** The whole content (reads a spooled file into memory). */
    public byte[] bytes() {
        if (memory != null) {
            return memory.clone();
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload " + file, e);
        }
    }

    /** Deletes the spooled file, if any. Idempotent; the framework calls it after the response. */
    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file we could not delete is the system's to clean; nothing else to do here
            }
        }
    }

    @Override
    public String toString() {
        return "UploadFile[" + filename + ", " + contentType + ", " + size + " bytes"
                + (file != null ? ", spooled" : "") + "]";
    }
}
