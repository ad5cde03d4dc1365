package dev.spindle.mysql.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * Encodes COM_STMT_EXECUTE: the statement id, no cursor, one iteration, the NULL bitmap, the parameter types (always
 * sent, so one statement serves any Java types) and the values in the binary protocol. Values travel as data, never
 * as SQL text: nothing here can change what the statement does.
 *
 * <table>
 *   <caption>Parameter mapping</caption>
 *   <tr><th>Java</th><th>sent as</th></tr>
 *   <tr><td>null</td><td>NULL</td></tr>
 *   <tr><td>Boolean, Byte, Short, Integer, Long</td><td>TINY, TINY, SHORT, LONG, LONGLONG</td></tr>
 *   <tr><td>BigInteger</td><td>LONGLONG (UNSIGNED when above Long.MAX_VALUE), else DECIMAL</td></tr>
 *   <tr><td>Float, Double, BigDecimal</td><td>FLOAT, DOUBLE, NEWDECIMAL</td></tr>
 *   <tr><td>String, Enum (its name), UUID, Character</td><td>VAR_STRING (UTF-8)</td></tr>
 *   <tr><td>byte[]</td><td>BLOB</td></tr>
 *   <tr><td>LocalDate, LocalDateTime, LocalTime, Duration</td><td>DATE, DATETIME, TIME, TIME</td></tr>
 *   <tr><td>Instant, OffsetDateTime, ZonedDateTime</td><td>DATETIME in the session time zone</td></tr>
 * </table>
 * Anything else is refused with an {@link IllegalArgumentException} naming the parameter: a value is never turned
 * into text by {@code toString()} behind the caller's back.
 */
public final class Params {
    private Params() {}

    public static final int COM_STMT_EXECUTE = 0x17;
    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /**
     * Writes a whole COM_STMT_EXECUTE payload into {@code w} (already started).
     *
     * @param sessionZone the session's time zone, for Instants; null when unknown (Instants are then refused)
     */
    public static void execute(PacketWriter w, int statementId, Object[] params, ZoneId sessionZone) {
        w.int1(COM_STMT_EXECUTE).int4(statementId).int1(0).int4(1);
        if (params.length == 0) {
            return;
        }
        int bitmapAt = w.payloadLength();
        int bitmapLen = (params.length + 7) / 8;
        w.zeros(bitmapLen);
        w.int1(1); // new-params-bound: the types follow
        for (int i = 0; i < params.length; i++) {
            int type = type(params[i], i);
            w.int1(type & 0xFF).int1(type >>> 8);
        }
        for (int i = 0; i < params.length; i++) {
            Object v = params[i];
            if (v == null) {
                int at = bitmapAt + (i >> 3);
                w.setPayloadByte(at, w.payloadByte(at) | 1 << (i & 7));
            } else {
                value(w, v, sessionZone);
            }
        }
    }

    /** The type code (low byte) and the unsigned flag (0x80 in the high byte) for a value. */
    static int type(Object v, int index) {
        return switch (v) {
            case null -> ColumnType.NULL;
            case Boolean b -> ColumnType.TINY;
            case Byte b -> ColumnType.TINY;
            case Short s -> ColumnType.SHORT;
            case Integer i -> ColumnType.LONG;
            case Long l -> ColumnType.LONGLONG;
            case BigInteger b ->
                b.bitLength() <= 63
                        ? ColumnType.LONGLONG
                        : b.signum() > 0 && b.compareTo(MAX_UNSIGNED) <= 0
                                ? ColumnType.LONGLONG | 0x8000
                                : ColumnType.NEWDECIMAL;
            case Float f -> ColumnType.FLOAT;
            case Double d -> ColumnType.DOUBLE;
            case BigDecimal d -> ColumnType.NEWDECIMAL;
            case String s -> ColumnType.VAR_STRING;
            case dev.spindle.mysql.Json j -> ColumnType.VAR_STRING;
            case Character c -> ColumnType.VAR_STRING;
            case Enum<?> e -> ColumnType.VAR_STRING;
            case UUID u -> ColumnType.VAR_STRING;
            case byte[] b -> ColumnType.BLOB;
            case LocalDate d -> ColumnType.DATE;
            case LocalDateTime d -> ColumnType.DATETIME;
            case Instant t -> ColumnType.DATETIME;
            case OffsetDateTime t -> ColumnType.DATETIME;
            case ZonedDateTime t -> ColumnType.DATETIME;
            case LocalTime t -> ColumnType.TIME;
            case Duration d -> ColumnType.TIME;
            default ->
                throw new IllegalArgumentException("parameter " + (index + 1) + " is a "
                        + v.getClass().getName() + ", which has no MySQL type: pass a String, number, byte[], java.time"
                        + " value, a Json document or null (values are never turned into SQL text)");
        };
    }

    private static void value(PacketWriter w, Object v, ZoneId zone) {
        switch (v) {
            case Boolean b -> w.int1(b ? 1 : 0);
            case Byte b -> w.int1(b);
            case Short s -> w.int2(s);
            case Integer i -> w.int4(i);
            case Long l -> w.int8(l);
            case BigInteger b -> {
                if (b.bitLength() <= 64 && b.signum() >= 0 || b.bitLength() <= 63) {
                    w.int8(b.longValue());
                } else {
                    w.lenencString(b.toString());
                }
            }
            case Float f -> w.int4(Float.floatToIntBits(f));
            case Double d -> w.int8(Double.doubleToLongBits(d));
            case BigDecimal d -> w.lenencString(d.toPlainString());
            case String s -> w.lenencBytes(s.getBytes(StandardCharsets.UTF_8));
            case dev.spindle.mysql.Json j -> w.lenencBytes(j.text().getBytes(StandardCharsets.UTF_8));
            case Character c -> w.lenencString(c.toString());
            case Enum<?> e -> w.lenencString(e.name());
            case UUID u -> w.lenencString(u.toString());
            case byte[] b -> w.lenencBytes(b);
            case LocalDate d ->
                w.int1(4).int2(d.getYear()).int1(d.getMonthValue()).int1(d.getDayOfMonth());
            case LocalDateTime d -> dateTime(w, d);
            case Instant t -> dateTime(w, LocalDateTime.ofInstant(t, known(zone)));
            case OffsetDateTime t -> dateTime(w, LocalDateTime.ofInstant(t.toInstant(), known(zone)));
            case ZonedDateTime t -> dateTime(w, LocalDateTime.ofInstant(t.toInstant(), known(zone)));
            case LocalTime t -> time(w, Duration.ofNanos(t.toNanoOfDay()));
            case Duration d -> time(w, d);
            default -> throw new IllegalStateException("unreachable: " + v.getClass());
        }
    }

    private static ZoneId known(ZoneId zone) {
        if (zone == null) {
            throw new IllegalArgumentException("an Instant, OffsetDateTime or ZonedDateTime parameter needs the session"
                    + " time zone, which timeZone=server leaves unknown: set timeZone, or pass a LocalDateTime");
        }
        return zone;
    }

    private static void dateTime(PacketWriter w, LocalDateTime d) {
        int micros = d.getNano() / 1000;
        w.int1(micros == 0 ? 7 : 11)
                .int2(d.getYear())
                .int1(d.getMonthValue())
                .int1(d.getDayOfMonth())
                .int1(d.getHour())
                .int1(d.getMinute())
                .int1(d.getSecond());
        if (micros != 0) {
            w.int4(micros);
        }
    }

    private static void time(PacketWriter w, Duration d) {
        boolean neg = d.isNegative();
        Duration a = d.abs();
        long secs = a.getSeconds();
        int micros = a.getNano() / 1000;
        w.int1(micros == 0 ? 8 : 12)
                .int1(neg ? 1 : 0)
                .int4((int) (secs / 86400))
                .int1((int) (secs % 86400 / 3600))
                .int1((int) (secs % 3600 / 60))
                .int1((int) (secs % 60));
        if (micros != 0) {
            w.int4(micros);
        }
    }
}
