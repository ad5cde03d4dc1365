package dev.spindle.web;

import java.util.List;
import java.util.Map;

/**
 * One validation error, in FastAPI's (pydantic's) shape: {@code {"type", "loc", "msg", "input", "ctx"}}.
 *
 * {@snippet :
 * new ErrorDetail("int_parsing", List.of("path", "item_id"),
 *         "Input should be a valid integer, unable to parse string as an integer", "foo", null);
 * }
 *
 * @param type pydantic's error type: {@code missing}, {@code int_parsing}, {@code greater_than},
 *     {@code string_too_long}, {@code json_invalid}...
 * @param loc where: the source ({@code "path"}, {@code "query"}, {@code "header"}, {@code "cookie"}, {@code "body"})
 *     then field names and list indexes
 * @param msg the human message, pydantic's wording
 * @param input the value that failed (a string, a JSON value, or {@code null} when missing)
 * @param ctx the constraint's parameters ({@code {"gt": 0}}), or {@code null} (then not written)
 */
public record ErrorDetail(String type, List<Object> loc, String msg, Object input, Map<String, Object> ctx) {
    public ErrorDetail {
        loc = List.copyOf(loc);
    }
}
