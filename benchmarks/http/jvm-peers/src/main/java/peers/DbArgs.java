package peers;

/**
 * The TechEmpower peers' flags: {@code --port P --threads N --db-port D --pool S [--pipelining L]}; L above 1 lets a
 * peer whose client can pipeline send a request's statements without waiting for each reply (Vert.x only).
 */
final class DbArgs {
    final int port;
    final int threads;
    final int dbPort;
    final int pool;
    final int pipelining;

    private DbArgs(int port, int threads, int dbPort, int pool, int pipelining) {
        this.port = port;
        this.threads = threads;
        this.dbPort = dbPort;
        this.pool = pool;
        this.pipelining = pipelining;
    }

    static DbArgs parse(String[] args) {
        int port = 0;
        int threads = 1;
        int dbPort = 3306;
        int pool = 64;
        int pipelining = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--db-port" -> dbPort = Integer.parseInt(args[i + 1]);
                case "--pool" -> pool = Integer.parseInt(args[i + 1]);
                case "--pipelining" -> pipelining = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port 1..65535 is required");
        }
        return new DbArgs(port, threads, dbPort, pool, pipelining);
    }
}
