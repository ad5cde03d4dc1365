package dev.spindle.mysql;

import dev.spindle.mysql.internal.json.JsonSupport;
import java.util.Objects;

/**
 * A JSON document as a query parameter: {@link #of} writes a Java value (a record, a map, a list...) with Jackson,
 * and the text is bound like a string, so it goes into a {@code JSON} column (MySQL) or a {@code JSON}/{@code
 * LONGTEXT} one (MariaDB, where JSON is text checked by {@code JSON_VALID}). Reading goes the other way through
 * {@link Row#getJson} and {@link Row#as}.
 *
 * {@snippet :
 * record Address(String street, String city) {}
 *
 * conn.execute("INSERT INTO customers (id, address) VALUES (?, ?)", 7, Json.of(new Address("Main St 1", "Oslo")));
 * Address a = conn.fetchOne("SELECT address FROM customers WHERE id = ?", 7).getJson("address", Address.class);
 * }
 *
 * <p>Jackson ({@code com.fasterxml.jackson.core:jackson-databind}) is an optional dependency of this module: add it
 * to use JSON documents (and {@code jackson-datatype-jsr310} for java.time fields). Like every parameter, the text is
 * bound, never spliced into the SQL. Immutable and thread-safe.
 */
public final class Json {
    private final String text;

    private Json(String text) {
        this.text = text;
    }

    /**
     * {@code value} written as JSON now, with Jackson's defaults and every Jackson module on the class path.
     *
     * @throws IllegalArgumentException if Jackson cannot write the value, naming its type
     * @throws IllegalStateException if Jackson is not on the class path, naming the dependency to add
     */
    public static Json of(Object value) {
        Objects.requireNonNull(value, "value (for SQL NULL, pass null itself)");
        return new Json(JsonSupport.write(value));
    }

    /** The JSON text that is bound. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Json j && j.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text.length() <= 80 ? "Json" + text : "Json" + text.substring(0, 77) + "...";
    }
}
