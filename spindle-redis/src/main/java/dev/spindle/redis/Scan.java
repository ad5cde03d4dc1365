package dev.spindle.redis;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A SCAN-family cursor as a for-each iterator: each page is fetched when the previous one is used up, so memory stays
 * at one page whatever the key space. Like SCAN itself, an element may come twice, and elements added or removed
 * during the iteration may or may not come.
 */
final class Scan<T> implements Iterable<T> {
    /** Runs one page: cursor in, {@code [nextCursor, items]} out. */
    private final Function<String, List<?>> page;

    private final Function<List<?>, List<T>> items;

    Scan(Function<String, List<?>> page, Function<List<?>, List<T>> items) {
        this.page = page;
        this.items = items;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private String cursor = "0";
            private boolean started;
            private Iterator<T> current = List.<T>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (started && cursor.equals("0")) {
                        return false;
                    }
                    started = true;
                    List<?> reply = page.apply(cursor);
                    if (reply == null) {
                        throw new IllegalStateException("SCAN iterates page by page: it cannot run in a pipeline");
                    }
                    cursor = Replies.string(reply.get(0));
                    current = items.apply(Replies.list(reply.get(1))).iterator();
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
