package io.openons.message.consume;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes waiting long polls when something consumable may have appeared in a Kafka topic's index: the
 * indexer (any replica) and ordered acks send {@code NOTIFY ons_arrivals, '<kafka topic>'} in their
 * transaction, PostgreSQL delivers it on commit to every replica's listener, which wakes that topic's
 * waiters. A waiter holds no thread: it is a pending {@link Uni} with a timer.
 */
@ApplicationScoped
public class ArrivalBus {

    private static final Logger LOG = Logger.getLogger(ArrivalBus.class);
    static final String CHANNEL = "ons_arrivals";

    private final AgroalDataSource dataSource;
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "long-poll-timers");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile boolean listening;
    private Thread listener;

    ArrivalBus(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void start(@Observes StartupEvent start) {
        running = true;
        listener = new Thread(this::listen, "arrival-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        // Answer every waiting poll now (empty), so that shutdown does not wait for their timeouts.
        waiters.keySet().forEach(this::wake);
        timers.shutdownNow();
    }

    public boolean stopping() {
        return !running;
    }

    /** Whether the cross-replica listener is connected (health). */
    public boolean listening() {
        return listening;
    }

    /** Announces in the caller's transaction that the topic may have something new (delivered on commit). */
    public static void notify(Connection c, String kafkaTopic) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            ps.setString(1, kafkaTopic);
            ps.execute();
        }
    }

    /** A counter that changes whenever the topic is woken; read it before looking, pass it to {@link #await}. */
    public long version(String kafkaTopic) {
        return versions.computeIfAbsent(kafkaTopic, k -> new AtomicLong()).get();
    }

    /**
     * Completes when the topic is woken after {@code seenVersion}, or after {@code maxWaitMillis}, whichever
     * comes first (at once if it was woken already since the caller looked).
     */
    public Uni<Void> await(String kafkaTopic, long seenVersion, long maxWaitMillis) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(kafkaTopic, () -> emitter.complete(null));
            waiters.computeIfAbsent(kafkaTopic, k -> ConcurrentHashMap.newKeySet()).add(waiter);
            if (!running || version(kafkaTopic) != seenVersion) {
                waiter.fire();
                return;
            }
            try {
                waiter.timer = timers.schedule(waiter::fire, Math.max(1, maxWaitMillis), TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) {
                waiter.fire();
            }
            emitter.onTermination(waiter::fire);
        });
    }

    /** Wakes every poll waiting on the topic (in this replica). */
    public void wake(String kafkaTopic) {
        versions.computeIfAbsent(kafkaTopic, k -> new AtomicLong()).incrementAndGet();
        Set<Waiter> set = waiters.get(kafkaTopic);
        if (set != null) {
            for (Waiter w : set) {
                w.fire();
            }
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            wake(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    LOG.warnf("Arrival listener lost its connection, reconnecting: %s", e.getMessage());
                    // Wake everyone: a notification may have been missed while disconnected.
                    waiters.keySet().forEach(this::wake);
                    sleep(1000);
                }
            }
        }
        listening = false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Waiter {
        private final String topic;
        private final Runnable complete;
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile ScheduledFuture<?> timer;

        Waiter(String topic, Runnable complete) {
            this.topic = topic;
            this.complete = complete;
        }

        void fire() {
            if (fired.compareAndSet(false, true)) {
                Set<Waiter> set = waiters.get(topic);
                if (set != null) {
                    set.remove(this);
                }
                ScheduledFuture<?> t = timer;
                if (t != null) {
                    t.cancel(false);
                }
                complete.run();
            }
        }
    }
}
