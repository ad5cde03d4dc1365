package dev.spindle.web.internal;

import dev.spindle.web.ErrorDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gathers every validation error of one request (FastAPI reports them all at once). */
public final class Errors {
    private List<ErrorDetail> list;

    public void add(String type, Loc loc, String msg, Object input, Map<String, Object> ctx) {
        if (list == null) {
            list = new ArrayList<>(4);
        }
        list.add(new ErrorDetail(type, loc.toList(), msg, input, ctx));
    }

    public void add(ErrorDetail detail) {
        if (list == null) {
            list = new ArrayList<>(4);
        }
        list.add(detail);
    }

    public int count() {
        return list == null ? 0 : list.size();
    }

    public boolean isEmpty() {
        return list == null;
    }

    public List<ErrorDetail> list() {
        return list == null ? List.of() : list;
    }

    /** Reports a required value that is absent. */
    public void missing(Loc loc, Object input) {
        add("missing", loc, "Field required", input, null);
    }
}
