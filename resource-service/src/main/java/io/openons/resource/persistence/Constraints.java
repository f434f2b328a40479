package io.openons.resource.persistence;

import java.sql.SQLException;
import java.util.Locale;

/** Recognises database constraint violations behind the exceptions of a failed commit. */
public final class Constraints {

    private Constraints() {
    }

    /** Whether the failure is a violation of the named unique constraint (race between two creators). */
    public static boolean violated(Throwable failure, String constraintName) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT).contains(constraintName)) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && constraintName.equalsIgnoreCase(cve.getConstraintName())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
