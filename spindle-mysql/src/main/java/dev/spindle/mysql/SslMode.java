package dev.spindle.mysql;

/**
 * Whether and how a TCP connection uses TLS, named as MySQL's {@code --ssl-mode} names the choices. The default is
 * {@link #VERIFY_IDENTITY}: encrypted, with the server's certificate checked against the trusted CAs and its name
 * against the host connected to. Unix socket connections never use TLS (the socket is local and its file
 * permissions guard it), whatever the mode.
 *
 * {@snippet :
 * MySqlOptions o = MySqlOptions.parse("mysql://app:secret@db.internal/shop?sslMode=VERIFY_CA&sslCa=/etc/db/ca.pem");
 * }
 */
public enum SslMode {
    /** Plain TCP; the server's offer of TLS is ignored. */
    DISABLED,
    /** TLS when the server offers it, else plain; the certificate is not checked (MySQL's default, not Spindle's). */
    PREFERRED,
    /** TLS or fail; the certificate is not checked (encryption against eavesdroppers only). */
    REQUIRED,
    /** TLS or fail, with the certificate checked against the trusted CAs, but not its host name. */
    VERIFY_CA,
    /** TLS or fail, with the certificate checked and issued for the host connected to. The default. */
    VERIFY_IDENTITY;

    /** Whether the connection fails when the server does not offer TLS. */
    public boolean requiresTls() {
        return this == REQUIRED || this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    /** Parses a mode, ignoring case and accepting {@code -} for {@code _}. */
    public static SslMode parse(String s) {
        String n = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (SslMode m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "sslMode: " + s + " is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA," + " VERIFY_IDENTITY");
    }
}
