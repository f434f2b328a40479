package io.openons.resource.topic;

import io.openons.resource.kafka.KafkaTopicProvisioner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/** Removes the Kafka topics of deleted ONS topics; pending removals are retried until the broker confirms. */
@ApplicationScoped
public class KafkaTopicReaper {

    private static final Logger LOG = Logger.getLogger(KafkaTopicReaper.class);

    private final KafkaTopicProvisioner provisioner;

    KafkaTopicReaper(KafkaTopicProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    /** Tries to remove one Kafka topic now; on failure the pending row stays for the next sweep. */
    public boolean removeNow(String kafkaTopic) {
        try {
            provisioner.remove(kafkaTopic);
            QuarkusTransaction.requiringNew().run(() -> KafkaTopicRemoval.deleteById(kafkaTopic));
            return true;
        } catch (Exception e) {
            LOG.warnf("Kafka topic %s not removed yet, will retry: %s", kafkaTopic, e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> {
                KafkaTopicRemoval pending = KafkaTopicRemoval.findById(kafkaTopic);
                if (pending != null) {
                    pending.attempts++;
                    pending.lastError = String.valueOf(e.getMessage());
                }
            });
            return false;
        }
    }

    @Scheduled(every = "30s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        List<String> pending = QuarkusTransaction.requiringNew().call(() -> KafkaTopicRemoval.<KafkaTopicRemoval>listAll()
                .stream().map(r -> r.kafkaTopic).toList());
        pending.forEach(this::removeNow);
    }
}
