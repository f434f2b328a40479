package io.openons.contracts.operation;

/** The service that owns an operation; the gateway routes each operation to its owner and nowhere else. */
public enum OwningService {
    RESOURCE("resource-service"),
    MESSAGE("message-service"),
    TRACE("trace-service"),
    STATS("stats-service");

    private final String serviceName;

    OwningService(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The service's name, as used in configuration keys, Kubernetes services and logs. */
    public String serviceName() {
        return serviceName;
    }
}
