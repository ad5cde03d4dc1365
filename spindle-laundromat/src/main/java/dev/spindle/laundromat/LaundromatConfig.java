package dev.spindle.laundromat;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Laundromat} runs: where its Redis and MariaDB are, its port, how fast time goes, its rate limit.
 *
 * {@snippet :
 * LaundromatConfig config = LaundromatConfig.builder()
 *         .redisUrl("redis://127.0.0.1:6379")
 *         .mysqlUrl("mysql://laundromat:secret@127.0.0.1:3306/laundromat?sslMode=DISABLED")
 *         .port(8000)
 *         .speed(60)            // one wash minute per real second
 *         .build();
 * }
 *
 * <p>{@link #fromEnvironment} reads the same from environment variables and {@code --name=value} arguments (the
 * arguments win): {@code SPINDLE_REDIS_URL} / {@code --redis}, {@code SPINDLE_MYSQL_URL} / {@code --mysql},
 * {@code SPINDLE_LAUNDROMAT_PORT} / {@code --port}, {@code SPINDLE_LAUNDROMAT_SPEED} / {@code --speed},
 * {@code SPINDLE_LAUNDROMAT_DATA} / {@code --data} (where local servers keep their data). A missing URL means "start a
 * local server" (see {@link Main}).
 *
 * @param redisUrl the Redis URL, or {@code null} for a local redis-server
 * @param mysqlUrl the MariaDB URL (its database is created if missing), or {@code null} for a local mariadbd
 * @param host the address to listen on (127.0.0.1 by default)
 * @param port the HTTP port (0: any free one)
 * @param machines how many washing machines (10)
 * @param speed how many wash seconds pass per real second (1: real time; 60: a 30-minute wash takes 30 s)
 * @param rateLimit how many requests one customer may make per {@code rateWindow} to protected routes
 * @param rateWindow the rate limit's window
 * @param workers how many coroutines consume the ready-notification stream
 * @param shutdownGrace how long in-flight HTTP requests get at shutdown
 * @param dataDir where local servers keep their data ({@code null}: a directory under the user's home)
 */
public record LaundromatConfig(
        String redisUrl,
        String mysqlUrl,
        String host,
        int port,
        int machines,
        double speed,
        int rateLimit,
        Duration rateWindow,
        int workers,
        Duration shutdownGrace,
        String dataDir) {

    public LaundromatConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rateWindow, "rateWindow");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (machines < 1 || machines > 1000) {
            throw new IllegalArgumentException("machines must be 1..1000, was " + machines);
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, was " + speed);
        }
        if (rateLimit < 1) {
            throw new IllegalArgumentException("rateLimit must be positive, was " + rateLimit);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive, was " + workers);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .redisUrl(redisUrl)
                .mysqlUrl(mysqlUrl)
                .host(host)
                .port(port)
                .machines(machines)
                .speed(speed)
                .rateLimit(rateLimit, rateWindow)
                .workers(workers)
                .shutdownGrace(shutdownGrace)
                .dataDir(dataDir);
    }

    /**
     * The configuration from environment variables, overridden by {@code --name=value} arguments (see the class
     * documentation); blank arguments are ignored.
     *
     * @throws IllegalArgumentException naming an unknown argument or a bad value
     */
    public static LaundromatConfig fromEnvironment(Map<String, String> env, String... args) {
        Builder b = builder().port(8000).speed(60);
        String v;
        if ((v = env.get("SPINDLE_REDIS_URL")) != null && !v.isBlank()) {
            b.redisUrl(v);
        }
        if ((v = env.get("SPINDLE_MYSQL_URL")) != null && !v.isBlank()) {
            b.mysqlUrl(v);
        }
        if ((v = env.get("SPINDLE_LAUNDROMAT_PORT")) != null && !v.isBlank()) {
            b.port(parseInt("SPINDLE_LAUNDROMAT_PORT", v));
        }
        if ((v = env.get("SPINDLE_LAUNDROMAT_SPEED")) != null && !v.isBlank()) {
            b.speed(parseDouble("SPINDLE_LAUNDROMAT_SPEED", v));
        }
        if ((v = env.get("SPINDLE_LAUNDROMAT_DATA")) != null && !v.isBlank()) {
            b.dataDir(v);
        }
        for (String arg : splitArgs(args)) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, got: " + arg);
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "redis" -> b.redisUrl(value);
                case "mysql" -> b.mysqlUrl(value);
                case "host" -> b.host(value);
                case "port" -> b.port(parseInt(name, value));
                case "speed" -> b.speed(parseDouble(name, value));
                case "machines" -> b.machines(parseInt(name, value));
                case "rate-limit" -> b.rateLimit(parseInt(name, value), b.rateWindow);
                case "workers" -> b.workers(parseInt(name, value));
                case "data" -> b.dataDir(value);
                default ->
                    throw new IllegalArgumentException("unknown argument --" + name
                            + " (known: --redis, --mysql, --host, --port, --speed, --machines, --rate-limit,"
                            + " --workers, --data)");
            }
        }
        return b.build();
    }

    /**
     * The arguments, each split at whitespace (Maven's {@code -Ddemo.args="--port=8001 --speed=10"} arrives as one),
     * blank ones dropped.
     */
    public static java.util.List<String> splitArgs(String... args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String arg : args) {
            if (arg != null) {
                for (String part : arg.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was " + value);
        }
    }

    private static double parseDouble(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was " + value);
        }
    }

    /** Builds a {@link LaundromatConfig}; defaults: 127.0.0.1, port 0, 10 machines, speed 1, 120 requests/10 s. */
    public static final class Builder {
        private String redisUrl;
        private String mysqlUrl;
        private String host = "127.0.0.1";
        private int port;
        private int machines = 10;
        private double speed = 1;
        private int rateLimit = 120;
        private Duration rateWindow = Duration.ofSeconds(10);
        private int workers = 4;
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private String dataDir;

        private Builder() {}

        public Builder redisUrl(String url) {
            this.redisUrl = url;
            return this;
        }

        public Builder mysqlUrl(String url) {
            this.mysqlUrl = url;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder machines(int machines) {
            this.machines = machines;
            return this;
        }

        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        public Builder rateLimit(int requests, Duration window) {
            this.rateLimit = requests;
            this.rateWindow = window;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = grace;
            return this;
        }

        public Builder dataDir(String dir) {
            this.dataDir = dir;
            return this;
        }

        public LaundromatConfig build() {
            return new LaundromatConfig(
                    redisUrl,
                    mysqlUrl,
                    host,
                    port,
                    machines,
                    speed,
                    rateLimit,
                    rateWindow,
                    workers,
                    shutdownGrace,
                    dataDir);
        }
    }
}
