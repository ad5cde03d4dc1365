package dev.spindle.mysql.internal.codec;

/** The protocol's column and parameter type codes ({@code enum_field_types}). */
public final class ColumnType {
    private ColumnType() {}

    public static final int DECIMAL = 0;
    public static final int TINY = 1;
    public static final int SHORT = 2;
    public static final int LONG = 3;
    public static final int FLOAT = 4;
    public static final int DOUBLE = 5;
    public static final int NULL = 6;
    public static final int TIMESTAMP = 7;
    public static final int LONGLONG = 8;
    public static final int INT24 = 9;
    public static final int DATE = 10;
    public static final int TIME = 11;
    public static final int DATETIME = 12;
    public static final int YEAR = 13;
    public static final int NEWDATE = 14;
    public static final int VARCHAR = 15;
    public static final int BIT = 16;
    public static final int TIMESTAMP2 = 17;
    public static final int DATETIME2 = 18;
    public static final int TIME2 = 19;
    public static final int JSON = 245;
    public static final int NEWDECIMAL = 246;
    public static final int ENUM = 247;
    public static final int SET = 248;
    public static final int TINY_BLOB = 249;
    public static final int MEDIUM_BLOB = 250;
    public static final int LONG_BLOB = 251;
    public static final int BLOB = 252;
    public static final int VAR_STRING = 253;
    public static final int STRING = 254;
    public static final int GEOMETRY = 255;

    /** The column flag for UNSIGNED (column definitions) and the parameter-type flag byte's high bit. */
    public static final int UNSIGNED_FLAG = 32;

    public static final int BINARY_FLAG = 128;

    /** The collation id of binary strings (BLOB, BINARY, VARBINARY): their values are bytes, not text. */
    public static final int BINARY_COLLATION = 63;

    public static String name(int type) {
        return switch (type) {
            case DECIMAL -> "DECIMAL";
            case TINY -> "TINY";
            case SHORT -> "SHORT";
            case LONG -> "LONG";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case NULL -> "NULL";
            case TIMESTAMP -> "TIMESTAMP";
            case LONGLONG -> "LONGLONG";
            case INT24 -> "INT24";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case DATETIME -> "DATETIME";
            case YEAR -> "YEAR";
            case NEWDATE -> "NEWDATE";
            case VARCHAR -> "VARCHAR";
            case BIT -> "BIT";
            case JSON -> "JSON";
            case NEWDECIMAL -> "NEWDECIMAL";
            case ENUM -> "ENUM";
            case SET -> "SET";
            case TINY_BLOB -> "TINY_BLOB";
            case MEDIUM_BLOB -> "MEDIUM_BLOB";
            case LONG_BLOB -> "LONG_BLOB";
            case BLOB -> "BLOB";
            case VAR_STRING -> "VAR_STRING";
            case STRING -> "STRING";
            case GEOMETRY -> "GEOMETRY";
            default -> "type " + type;
        };
    }
}
