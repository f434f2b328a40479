package io.openons.resource.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Relays outbox events to Kafka in the order they were written, then deletes them, in one transaction per
 * batch: if Kafka is unavailable the rows stay and are retried on the next poll, so no event is lost; a
 * transaction-scoped advisory lock lets only one replica relay at a time, which keeps the order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id of the relay ("outbox" in ASCII). */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    private final EntityManager em;
    private final Producer<String, String> producer;
    private final int batchSize;
    private final ReentrantLock relaying = new ReentrantLock();

    OutboxRelay(EntityManager em, Producer<String, String> producer,
            @ConfigProperty(name = "ons.outbox.batch-size", defaultValue = "200") int batchSize) {
        this.em = em;
        this.producer = producer;
        this.batchSize = batchSize;
    }

    /**
     * Right after a change commits, on the committing thread: the Action answers only once its event is on
     * Kafka, so other services' replicas can see the change as soon as the caller can (read-your-writes).
     * If Kafka is unavailable the event stays in the outbox and the poll retries it.
     */
    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.OutboxAppended appended) {
        flush();
    }

    @Scheduled(every = "${ons.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (relaying.tryLock()) {
            try {
                relayUntilEmpty();
            } finally {
                relaying.unlock();
            }
        }
    }

    /** Relays until the outbox is empty, waiting for a relay already under way in this replica. */
    public void flush() {
        relaying.lock();
        try {
            relayUntilEmpty();
        } finally {
            relaying.unlock();
        }
    }

    private void relayUntilEmpty() {
        try {
            int relayed;
            do {
                relayed = QuarkusTransaction.requiringNew().call(this::relayBatch);
            } while (relayed == batchSize);
        } catch (Exception e) {
            LOG.warnf("Outbox relay failed, will retry: %s", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    int relayBatch() throws Exception {
        Boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return 0;
        }
        List<OutboxEvent> batch = em.createQuery("FROM OutboxEvent ORDER BY id", OutboxEvent.class)
                .setMaxResults(batchSize).getResultList();
        if (batch.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (OutboxEvent event : batch) {
            sends.add(producer.send(new ProducerRecord<>(event.kafkaTopic, event.recordKey, event.payload)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
        List<Long> ids = batch.stream().map(e -> e.id).toList();
        em.createQuery("DELETE FROM OutboxEvent WHERE id IN :ids").setParameter("ids", ids).executeUpdate();
        LOG.debugf("Relayed %d outbox event(s)", batch.size());
        return batch.size();
    }
}
