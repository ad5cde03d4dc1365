package dev.spindle.testservers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the outside programs the tests run (servers and peer clients). A missing one is a test failure that says how
 * to get it, never a silent skip: the build's set-up ({@code scripts/install-test-deps.sh}) installs them on Debian
 * when it runs as root.
 *
 * {@snippet :
 * Path redis = Binaries.require("redis-server", "redis-server");
 * }
 */
public final class Binaries {
    private Binaries() {}

    /**
     * The absolute path of {@code command}, searched on {@code PATH} and in the sbin directories where Debian puts
     * daemons.
     *
     * @throws MissingBinary naming the command and the Debian package that provides it
     */
    public static Path require(String command, String debianPackage) {
        Path found = find(command);
        if (found == null) {
            throw new MissingBinary(command, debianPackage);
        }
        return found;
    }

    /** The absolute path of {@code command}, or null when it is not installed. */
    public static Path find(String command) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /** A program the tests need is not installed. */
    public static final class MissingBinary extends RuntimeException {
        MissingBinary(String command, String debianPackage) {
            super(command
                    + " is not installed: the tests need it. Install the Debian package with `sudo apt-get install "
                    + debianPackage + "` (./mvnw verify does this itself when run as root, through"
                    + " scripts/install-test-deps.sh)");
        }
    }
}
