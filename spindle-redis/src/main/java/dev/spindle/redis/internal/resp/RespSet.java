package dev.spindle.redis.internal.resp;

import java.util.ArrayList;

/** A RESP3 set, in the order received. */
public final class RespSet extends ArrayList<Object> {
    public RespSet(int capacity) {
        super(capacity);
    }
}
