package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.Column;
import dev.spindle.mysql.ProtocolError;

/** Decodes one result row, text (ProtocolText::ResultsetRow) or binary (ProtocolBinary::ResultsetRow). */
public final class Rows {
    private Rows() {}

    /** A text row: one length-encoded string per column, 0xFB for NULL; nothing may follow the last. */
    public static Object[] text(Column[] columns, Payload p, DecodeOptions o) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            int n = p.lenencLength();
            if (n >= 0) {
                values[i] = Values.text(columns[i], p.array(), p.position(), n, o);
                p.skip(n);
            }
        }
        if (p.hasRemaining()) {
            throw new ProtocolError(
                    "a text row has " + p.remaining() + " bytes after its " + columns.length + " columns");
        }
        return values;
    }

    /** A binary row: 0x00, a NULL bitmap (offset 2), the non-NULL values; nothing may follow the last. */
    public static Object[] binary(Column[] columns, Payload p, DecodeOptions o) {
        int header = p.int1();
        if (header != 0) {
            throw new ProtocolError("a binary row starts with 0x" + Integer.toHexString(header) + ", not 0x00");
        }
        int bitmapLen = (columns.length + 7 + 2) / 8;
        int bitmapAt = p.position();
        p.skip(bitmapLen);
        byte[] a = p.array();
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            int bit = i + 2;
            if ((a[bitmapAt + (bit >> 3)] & (1 << (bit & 7))) == 0) {
                values[i] = Values.binary(columns[i], p, o);
            }
        }
        if (p.hasRemaining()) {
            throw new ProtocolError(
                    "a binary row has " + p.remaining() + " bytes after its " + columns.length + " columns");
        }
        return values;
    }
}
