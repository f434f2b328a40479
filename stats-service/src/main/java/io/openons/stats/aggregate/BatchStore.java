package io.openons.stats.aggregate;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/** Where batches of counts go, atomically with the position in the lifecycle topic they were read up to. */
public interface BatchStore {

    /** Offset value meaning "nothing read yet: start at the beginning of the partition". */
    long FROM_BEGINNING = -1;

    /** The stored next offset of each partition ({@link #FROM_BEGINNING} for a partition never read). */
    Map<Integer, Long> offsets(String topic, Collection<Integer> partitions) throws SQLException;

    /**
     * Counts the batch's events not counted before and moves each partition's stored offset from
     * {@code expected} to the batch's end, all in one transaction.
     *
     * @throws OffsetConflictException when a partition's stored offset is no longer {@code expected} (another
     *                                 replica took the partition over and went on); nothing was changed
     */
    ApplyResult apply(Batch batch, Map<Integer, Long> expected) throws SQLException;

    /** What applying a batch did. */
    record ApplyResult(int counted, int duplicates) {
    }

    /** The stored offset moved under us: the batch must be dropped and the partitions re-read from the store. */
    final class OffsetConflictException extends RuntimeException {
        public OffsetConflictException(String topic, int partition, long expected) {
            super("the stored offset of " + topic + "-" + partition + " is no longer " + expected);
        }
    }
}
