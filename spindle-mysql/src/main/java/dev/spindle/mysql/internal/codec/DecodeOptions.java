package dev.spindle.mysql.internal.codec;

/**
 * How column values become Java values where more than one mapping is reasonable.
 *
 * @param tinyInt1IsBoolean TINYINT(1) and BIT(1) as {@link Boolean} (else Integer and Long)
 * @param zeroDateIsNull a zero date ({@code 0000-00-00}, or a zero month or day) as null (else an error)
 */
public record DecodeOptions(boolean tinyInt1IsBoolean, boolean zeroDateIsNull) {
    public static final DecodeOptions DEFAULTS = new DecodeOptions(true, false);
}
