package io.openons.trace.job;

/** The status of a trace query job, as OnsTraceGetResult shows it ({@code TraceData.Status}). */
public enum JobStatus {
    /** Created or running; no result yet. */
    WORKING("working"),
    /** Done; the result is readable until the result lifetime has passed. */
    FINISH("finish"),
    /** The result lifetime has passed (or the job could not be run); the result is gone. */
    REMOVED("removed");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    /** The value on the wire and in the database. */
    public String wire() {
        return wire;
    }

    public static JobStatus fromWire(String value) {
        for (JobStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job status " + value);
    }
}
