package dev.spindle.mysql.internal.protocol;

import static dev.spindle.Spindle.toThread;

import dev.spindle.io.TlsOptions;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.SslMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The {@link TlsOptions} an {@link SslMode} means, built once per options object. */
final class TlsSetup {
    private TlsSetup() {}

    /** Built once per options object, off the loop: loading certificates and the JDK's TLS can take a second. */
    private static final Map<MySqlOptions, TlsOptions> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    static TlsOptions cached(MySqlOptions o) {
        TlsOptions t = CACHE.get(o);
        if (t == null) {
            t = toThread(() -> forMode(o));
            CACHE.put(o, t);
        }
        return t;
    }

    static TlsOptions forMode(MySqlOptions o) {
        SslMode mode = o.sslMode();
        if (mode == SslMode.PREFERRED || mode == SslMode.REQUIRED) {
            return TlsOptions.client(trustAll()).withoutHostnameVerification();
        }
        TlsOptions base =
                o.tls() != null ? o.tls() : o.sslCa() != null ? TlsOptions.client(caStore(o)) : TlsOptions.client();
        return mode == SslMode.VERIFY_CA ? base.withoutHostnameVerification() : base;
    }

    private static KeyStore caStore(MySqlOptions o) {
        try (InputStream in = Files.newInputStream(o.sslCa())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("sslCa: " + o.sslCa() + " holds no certificate");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("sslCa: cannot read " + o.sslCa() + ": " + e.getMessage(), e);
        }
    }

    /** For REQUIRED and PREFERRED, which encrypt without checking who is at the other end, as MySQL's modes say. */
    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
