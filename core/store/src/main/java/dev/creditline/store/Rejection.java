package dev.creditline.store;

import dev.creditline.api.spi.ApiProblem;
import dev.creditline.ledger.EligibilityReport;

/**
 * A request the ledger refuses, with nothing written: an unknown id, a state conflict or a value that cannot apply.
 * The HTTP layer turns it into problem+json.
 */
public final class Rejection extends RuntimeException {

    /** What kind of refusal, with its HTTP status. */
    public enum Kind {
        NOT_FOUND(404), CONFLICT(409), INVALID(422);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Whether a failure is the request's answer (a refusal of the ledger, or a client error an extension gave), to be
     * remembered for its key, rather than a failure of the server or an extension that a retry may get past.
     */
    public static boolean isRefusal(Throwable failure) {
        return failure instanceof Rejection || failure instanceof ApiProblem problem && problem.status() < 500;
    }

    private final Kind kind;
    private final String code;
    private final String field;
    private final transient Object details;

    private Rejection(Kind kind, String code, String field, String message, Object details) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
        this.details = details;
    }

    /** An id that names nothing in this studio (or something in another studio: the same answer). */
    public static Rejection notFound(String field, String what, String id) {
        return new Rejection(Kind.NOT_FOUND, "not_found", field, "no " + what + " with id " + id, null);
    }

    /** The request does not fit the current state. */
    public static Rejection conflict(String code, String message) {
        return new Rejection(Kind.CONFLICT, code, null, message, null);
    }

    /** The request does not fit the current state, with data that explains it. */
    public static Rejection conflict(String code, String message, Object details) {
        return new Rejection(Kind.CONFLICT, code, null, message, details);
    }

    /** The request does not fit the current state because of one field's value (a used-up voucher code). */
    public static Rejection refused(String code, String field, String message) {
        return new Rejection(Kind.CONFLICT, code, field, message, null);
    }

    /** A value that is well-formed but cannot apply. */
    public static Rejection invalid(String field, String message) {
        return new Rejection(Kind.INVALID, "invalid_request", field, message, null);
    }

    /** Not enough eligible credits: the report says why, lot by lot. */
    public static Rejection insufficient(EligibilityReport report) {
        String message = report.creditsAccepted()
                ? "not enough eligible credits: " + report.cost() + " needed, short by " + report.shortBy()
                : "this scheduler is paid directly; credits are not accepted";
        return new Rejection(Kind.CONFLICT, "not_enough_credits", null, message, report);
    }

    public Kind kind() {
        return kind;
    }

    /** A stable machine-readable code, e.g. {@code not_enough_credits}. */
    public String code() {
        return code;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    /** Data explaining the refusal (an eligibility report, the actual balance), or null. */
    public Object details() {
        return details;
    }
}
