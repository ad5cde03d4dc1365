package dev.spindle.mysql.internal.codec;

/**
 * Capability flags of the handshake (MySQL's {@code CLIENT_*}; MariaDB's extended ones sit in the upper 32 bits of a
 * 64-bit set, sent in the handshake's otherwise unused bytes). The client asks for the intersection of what it wants
 * and what the server offers.
 */
public final class Capabilities {
    private Capabilities() {}

    public static final long LONG_PASSWORD = 1;
    public static final long FOUND_ROWS = 1 << 1;
    public static final long LONG_FLAG = 1 << 2;
    public static final long CONNECT_WITH_DB = 1 << 3;
    public static final long NO_SCHEMA = 1 << 4;
    public static final long COMPRESS = 1 << 5;
    public static final long LOCAL_FILES = 1 << 7;
    public static final long IGNORE_SPACE = 1 << 8;
    public static final long PROTOCOL_41 = 1 << 9;
    public static final long INTERACTIVE = 1 << 10;
    public static final long SSL = 1 << 11;
    public static final long TRANSACTIONS = 1 << 13;
    public static final long SECURE_CONNECTION = 1 << 15;
    public static final long MULTI_STATEMENTS = 1 << 16;
    public static final long MULTI_RESULTS = 1 << 17;
    public static final long PS_MULTI_RESULTS = 1 << 18;
    public static final long PLUGIN_AUTH = 1 << 19;
    public static final long CONNECT_ATTRS = 1 << 20;
    public static final long PLUGIN_AUTH_LENENC_DATA = 1 << 21;
    public static final long SESSION_TRACK = 1 << 23;
    public static final long DEPRECATE_EOF = 1 << 24;
    /** MariaDB: the server is MariaDB (it clears CLIENT_LONG_PASSWORD, bit 0, to say so). */
    public static final long MARIADB_CLIENT_EXTENDED_TYPE_INFO = 1L << 35;
    /**
     * MariaDB 10.6+: a prepared statement's result omits its column definitions while they are those the client was
     * last sent (at the prepare or an earlier execution); a byte after the column count says which.
     */
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;

    /** What this client can use; the server's offer is intersected with it. */
    public static final long CLIENT_DEFAULT = LONG_PASSWORD
            | LONG_FLAG
            | PROTOCOL_41
            | TRANSACTIONS
            | SECURE_CONNECTION
            | MULTI_RESULTS
            | PS_MULTI_RESULTS
            | PLUGIN_AUTH
            | CONNECT_ATTRS
            | PLUGIN_AUTH_LENENC_DATA
            | DEPRECATE_EOF
            | MARIADB_CLIENT_CACHE_METADATA;

    /** What the client needs from any server: older ones are refused with a clear message. */
    public static final long REQUIRED = PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH;
}
