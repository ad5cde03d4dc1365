package peers;

/** The TechEmpower peers' flags: {@code --port P --threads N --db-port D --pool S}. */
final class DbArgs {
    final int port;
    final int threads;
    final int dbPort;
    final int pool;

    private DbArgs(int port, int threads, int dbPort, int pool) {
        this.port = port;
        this.threads = threads;
        this.dbPort = dbPort;
        this.pool = pool;
    }

    static DbArgs parse(String[] args) {
        int port = 0;
        int threads = 1;
        int dbPort = 3306;
        int pool = 64;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--db-port" -> dbPort = Integer.parseInt(args[i + 1]);
                case "--pool" -> pool = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port 1..65535 is required");
        }
        return new DbArgs(port, threads, dbPort, pool);
    }
}
