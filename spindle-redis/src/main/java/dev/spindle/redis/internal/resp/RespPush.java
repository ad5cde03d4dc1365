package dev.spindle.redis.internal.resp;

import java.util.ArrayList;

/** A RESP3 push message (pub/sub messages, client-side caching invalidations), routed aside from command replies. */
public final class RespPush extends ArrayList<Object> {
    public RespPush(int capacity) {
        super(capacity);
    }
}
