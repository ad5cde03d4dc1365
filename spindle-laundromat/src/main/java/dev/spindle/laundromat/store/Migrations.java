package dev.spindle.laundromat.store;

import dev.spindle.mysql.MySqlConnection;
import dev.spindle.mysql.MySqlPool;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema, as versioned migrations applied in order at start: table {@code schema_version} records each version
 * applied; a start applies only the versions above the highest recorded, each followed by its row, so running them
 * again changes nothing. Starts of several service processes at once are serialized by the named lock
 * {@code laundromat.migrate} ({@code GET_LOCK}).
 *
 * {@snippet :
 * int applied = Migrations.apply(pool, 10);   // 0 when the schema is current
 * }
 *
 * <h2>Pitfalls</h2>
 * MariaDB commits DDL implicitly, so a migration that fails half-way is not rolled back: every statement is written
 * to be re-runnable ({@code IF NOT EXISTS}, {@code INSERT IGNORE}), and the version row is written last.
 */
public final class Migrations {
    /** One migration: its version, what it does, its statements. */
    public record Migration(int version, String description, List<String> statements) {}

    private Migrations() {}

    /** The migrations, oldest first; the machines' rows depend on {@code machines}. */
    public static List<Migration> all(int machines) {
        List<String> addMachines = new ArrayList<>();
        for (int i = 1; i <= machines; i++) {
            addMachines.add("INSERT IGNORE INTO machines (id, name) VALUES (" + i + ", 'Machine " + i + "')");
        }
        return List.of(
                new Migration(1, "customers and their tokens", List.of("""
                                CREATE TABLE IF NOT EXISTS customers (
                                  id BIGINT AUTO_INCREMENT PRIMARY KEY,
                                  name VARCHAR(64) NOT NULL UNIQUE,
                                  password_hash VARBINARY(64) NOT NULL,
                                  salt VARBINARY(32) NOT NULL,
                                  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                                ) ENGINE=InnoDB""", """
                                CREATE TABLE IF NOT EXISTS tokens (
                                  token CHAR(43) PRIMARY KEY,
                                  customer_id BIGINT NOT NULL,
                                  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                                  FOREIGN KEY (customer_id) REFERENCES customers (id)
                                ) ENGINE=InnoDB""")),
                new Migration(2, "the machines", concat(List.of("""
                                        CREATE TABLE IF NOT EXISTS machines (
                                          id INT PRIMARY KEY,
                                          name VARCHAR(32) NOT NULL
                                        ) ENGINE=InnoDB"""), addMachines)),
                new Migration(
                        3,
                        "washes: one active wash per machine (active_machine is unique, NULL once over)",
                        List.of("""
                                CREATE TABLE IF NOT EXISTS washes (
                                  id BIGINT AUTO_INCREMENT PRIMARY KEY,
                                  customer_id BIGINT NOT NULL,
                                  machine_id INT NOT NULL,
                                  program VARCHAR(16) NOT NULL,
                                  duration_ms BIGINT NOT NULL,
                                  remaining_ms BIGINT NOT NULL,
                                  deadline_ms BIGINT NOT NULL,
                                  state VARCHAR(12) NOT NULL,
                                  active_machine INT NULL UNIQUE,
                                  notified BOOLEAN NOT NULL DEFAULT FALSE,
                                  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                                  finished_at DATETIME(3) NULL,
                                  INDEX washes_customer (customer_id, id),
                                  INDEX washes_state (state),
                                  FOREIGN KEY (customer_id) REFERENCES customers (id),
                                  FOREIGN KEY (machine_id) REFERENCES machines (id)
                                ) ENGINE=InnoDB""")),
                new Migration(
                        4, "ready notifications, one per wash (written by the stream's consumers)", List.of("""
                                CREATE TABLE IF NOT EXISTS notifications (
                                  wash_id BIGINT PRIMARY KEY,
                                  customer_id BIGINT NOT NULL,
                                  message VARCHAR(200) NOT NULL,
                                  stream_id VARCHAR(40) NOT NULL,
                                  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                                  INDEX notifications_customer (customer_id, wash_id)
                                ) ENGINE=InnoDB""")));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Applies the migrations not yet recorded, in order, on one connection holding the migration lock.
     *
     * @return how many were applied (0: the schema was current)
     * @throws IllegalStateException if the lock is not had within 60 s
     */
    public static int apply(MySqlPool pool, int machines) {
        try (MySqlConnection c = pool.acquire()) {
            c.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                      version INT PRIMARY KEY,
                      description VARCHAR(200) NOT NULL,
                      applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ) ENGINE=InnoDB""");
            Long locked =
                    c.fetchOne("SELECT GET_LOCK('laundromat.migrate', 60) AS l").get("l", Long.class);
            if (locked == null || locked != 1) {
                throw new IllegalStateException("another process holds lock laundromat.migrate for over 60 s");
            }
            try {
                Long current = c.fetchOne("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
                        .get("v", Long.class);
                int applied = 0;
                for (Migration m : all(machines)) {
                    if (m.version() <= current) {
                        continue;
                    }
                    for (String sql : m.statements()) {
                        c.execute(sql);
                    }
                    c.execute(
                            "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                            m.version(),
                            m.description());
                    applied++;
                }
                // more machines than a previous run: the rows are added whatever the version
                for (int i = 1; i <= machines; i++) {
                    c.execute("INSERT IGNORE INTO machines (id, name) VALUES (?, ?)", i, "Machine " + i);
                }
                return applied;
            } finally {
                c.execute("SELECT RELEASE_LOCK('laundromat.migrate')");
            }
        }
    }

    /** The versions recorded in {@code schema_version}, in order. */
    public static List<Integer> versions(MySqlPool pool) {
        return pool.fetch("SELECT version FROM schema_version ORDER BY version").stream()
                .map(r -> (int) r.getLong("version"))
                .toList();
    }
}
