package dev.spindle.redis;

/** Primitive results of typed commands; null (a pipeline's placeholder) becomes 0 or false. */
final class Unbox {
    private Unbox() {}

    static long l(Long v) {
        return v == null ? 0 : v;
    }

    static boolean b(Boolean v) {
        return v != null && v;
    }

    static double d(Double v) {
        return v == null ? 0 : v;
    }
}
