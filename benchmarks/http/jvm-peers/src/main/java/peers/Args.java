package peers;

/** Command-line flags shared by the peer servers: {@code --port P} and {@code --threads N}. */
final class Args {
    final int port;
    final int threads;

    private Args(int port, int threads) {
        this.port = port;
        this.threads = threads;
    }

    static Args parse(String[] args) {
        int port = 0;
        int threads = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port 1..65535 is required");
        }
        return new Args(port, threads);
    }
}
