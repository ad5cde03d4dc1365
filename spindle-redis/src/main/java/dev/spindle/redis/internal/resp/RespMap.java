package dev.spindle.redis.internal.resp;

import java.util.ArrayList;

/** A RESP3 map: keys and values alternating, in the order received (byte[] keys cannot key a java.util.Map). */
public final class RespMap extends ArrayList<Object> {
    public RespMap(int capacity) {
        super(capacity);
    }
}
