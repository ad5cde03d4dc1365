package peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * TechEmpower's six tests on Helidon 4 SE (a virtual thread per request) with MariaDB Connector/J and HikariCP
 * ({@code --pool} connections), as TechEmpower's Helidon SE entries: blocking JDBC on virtual threads. Multiple
 * queries and updates run on one connection per request; updates are one bulk statement.
 */
public final class HelidonTechEmpower {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    private static HikariDataSource ds;

    private static <T> T withConnection(Sql<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        }
    }

    private static List<TechEmpower.World> select(Connection c, int n, boolean renumber) throws SQLException {
        List<TechEmpower.World> out = new ArrayList<>(n);
        try (PreparedStatement st = c.prepareStatement(TechEmpower.SELECT_WORLD)) {
            for (int i = 0; i < n; i++) {
                st.setInt(1, TechEmpower.randomId());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    out.add(new TechEmpower.World(rs.getInt(1), renumber ? TechEmpower.randomId() : rs.getInt(2)));
                }
            }
        }
        return out;
    }

    private static void json(ServerResponse res, Object value) throws Exception {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.SERVER, "helidon");
        res.send(MAPPER.writeValueAsBytes(value));
    }

    public static void main(String[] argv) {
        DbArgs args = DbArgs.parse(argv);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:mariadb://127.0.0.1:" + args.dbPort + "/" + TechEmpower.DB_NAME
                + "?useServerPrepStmts=true&cachePrepStmts=true");
        cfg.setUsername(TechEmpower.DB_USER);
        cfg.setPassword(TechEmpower.DB_PASSWORD);
        cfg.setMaximumPoolSize(args.pool);
        ds = new HikariDataSource(cfg);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(args.port)
                .routing(r -> r.get("/plaintext", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
                            res.header(HeaderNames.SERVER, "helidon");
                            res.send(HELLO);
                        })
                        .get("/json", (req, res) -> json(res, new Message("Hello, World!")))
                        .get("/db", (req, res) -> json(res, withConnection(c -> select(c, 1, false).getFirst())))
                        .get("/queries", (req, res) -> {
                            int n = TechEmpower.count(req.query().first("queries").orElse(null));
                            json(res, withConnection(c -> select(c, n, false)));
                        })
                        .get("/fortunes", (req, res) -> {
                            List<TechEmpower.Fortune> fortunes = withConnection(c -> {
                                List<TechEmpower.Fortune> out = new ArrayList<>(16);
                                try (PreparedStatement st = c.prepareStatement(TechEmpower.SELECT_FORTUNES);
                                        ResultSet rs = st.executeQuery()) {
                                    while (rs.next()) {
                                        out.add(new TechEmpower.Fortune(rs.getInt(1), rs.getString(2)));
                                    }
                                }
                                return out;
                            });
                            res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
                            res.header(HeaderNames.SERVER, "helidon");
                            res.send(TechEmpower.fortunesPage(fortunes).getBytes(StandardCharsets.UTF_8));
                        })
                        .get("/updates", (req, res) -> {
                            int n = TechEmpower.count(req.query().first("queries").orElse(null));
                            json(res, withConnection(c -> {
                                List<TechEmpower.World> worlds = select(c, n, true);
                                Object[] p = TechEmpower.updateParams(worlds);
                                try (PreparedStatement st = c.prepareStatement(TechEmpower.updateSql(n))) {
                                    for (int i = 0; i < p.length; i++) {
                                        st.setInt(i + 1, (Integer) p[i]);
                                    }
                                    st.executeUpdate();
                                }
                                return worlds;
                            }));
                        }))
                .build()
                .start();
        System.err.println("helidon on 127.0.0.1:" + server.port() + ", database port " + args.dbPort + ", pool "
                + args.pool);
    }
}
