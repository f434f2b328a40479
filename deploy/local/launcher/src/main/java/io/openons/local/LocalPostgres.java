package io.openons.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a real PostgreSQL server for the one-command local run ({@code deploy/local/up.sh}) until this process is
 * stopped: the binaries come from Maven Central (zonky), the data directory persists between runs, and the
 * {@code openons} database and role the services connect with exist once it reports ready.
 *
 * <p>Usage: {@code LocalPostgres --data-dir DIR --binaries-dir DIR [--port 5432]}. SIGTERM stops the server
 * cleanly (zonky's shutdown hook runs {@code pg_ctl stop -m fast}).
 */
public final class LocalPostgres {

    /** up.sh waits for this line in the log. */
    static final String READY_LINE = "LocalPostgres: ready";
    private static final String DATABASE = "openons";
    private static final String ROLE = "openons";
    private static final String PASSWORD = "openons";
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(option(args, "--data-dir").orElseThrow(() -> usage("--data-dir is required")))
                .toAbsolutePath();
        Path binariesDir = Path.of(option(args, "--binaries-dir")
                .orElseThrow(() -> usage("--binaries-dir is required"))).toAbsolutePath();
        int port = Integer.parseInt(option(args, "--port").orElse("5432"));
        Files.createDirectories(dataDir);
        Files.createDirectories(binariesDir);

        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false) // the state must survive down.sh + up.sh
                .setPort(port)
                .setOverrideWorkingDirectory(binariesDir.toFile())
                // zonky starts the server with -F (fsync off) for throwaway test databases; this one keeps state.
                .setServerConfig("fsync", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // First start unpacks the binaries and runs initdb; recovery after a hard kill may take a while.
                .setPGStartupWait(Duration.ofSeconds(120))
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                .start();
        createDatabaseAndRole(postgres);
        System.out.printf("%s on 127.0.0.1:%d, database %s, user %s, data in %s%n",
                READY_LINE, port, DATABASE, ROLE, dataDir);
        System.out.flush();
        watchPostmaster(dataDir);
    }

    private static void createDatabaseAndRole(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
                statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
                System.out.println("LocalPostgres: created role " + ROLE);
            }
            if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
                System.out.println("LocalPostgres: created database " + DATABASE);
            }
        }
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (var rows = statement.executeQuery(query)) {
            return rows.next();
        }
    }

    /** Stays alive while the server runs; exits when it has gone, so a dead database never looks healthy. */
    private static void watchPostmaster(Path dataDir) throws InterruptedException {
        while (true) {
            Thread.sleep(WATCH_INTERVAL.toMillis());
            if (postmasterPid(dataDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isEmpty()) {
                System.err.println("LocalPostgres: the PostgreSQL server has stopped; exiting");
                System.exit(1);
            }
        }
    }

    private static Optional<Long> postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem
                + "\nusage: LocalPostgres --data-dir DIR --binaries-dir DIR [--port 5432]");
    }
}
