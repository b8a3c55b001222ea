package dev.creditline.store;

import dev.creditline.ledger.PenaltyRule;
import dev.creditline.ledger.PenaltyRule.Allowance;
import dev.creditline.ledger.PenaltyRule.Charge;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.threeten.extra.PeriodDuration;

/**
 * A {@code penalty} setting as the API and the database hold it: {@code {"lateCancel": "forfeit" | "refund" |
 * {"forfeitCredits": N}, "noShow": ..., "freePerPeriod": {"count": N, "per": "P1M"}}}, each part optional (a missing
 * charge forfeits). Bad settings are refused naming the field ({@code penalty.lateCancel}).
 */
public final class PenaltySettings {
    private static final Set<String> FIELDS = Set.of("lateCancel", "noShow", "freePerPeriod");

    private PenaltySettings() {
    }

    /** The rule a stored setting says; the default without one. */
    public static PenaltyRule rule(String json) {
        if (json == null) {
            return PenaltyRule.DEFAULT;
        }
        return parse(new JsonObject(json), "penalty");
    }

    /** Reads a setting from a request's JSON text, refusing what it cannot mean. */
    public static PenaltyRule parse(String json, String field) {
        try {
            return parse(new JsonObject(json), field);
        } catch (DecodeException | ClassCastException e) {
            throw Rejection.invalid(field, "must be an object {\"lateCancel\",\"noShow\",\"freePerPeriod\"}");
        }
    }

    private static PenaltyRule parse(JsonObject setting, String field) {
        for (String name : setting.fieldNames()) {
            if (!FIELDS.contains(name)) {
                throw Rejection.invalid(field + "." + name, "is not a penalty field (lateCancel, noShow, freePerPeriod)");
            }
        }
        return new PenaltyRule(charge(setting.getValue("lateCancel"), field + ".lateCancel"),
                charge(setting.getValue("noShow"), field + ".noShow"),
                allowance(setting.getValue("freePerPeriod"), field + ".freePerPeriod"));
    }

    private static Charge charge(Object value, String field) {
        if (value == null || "forfeit".equals(value)) {
            return Charge.FORFEIT;
        }
        if ("refund".equals(value)) {
            return Charge.REFUND;
        }
        if (value instanceof JsonObject object && object.size() == 1
                && object.getValue("forfeitCredits") instanceof Integer n && n >= 0) {
            return new Charge(n);
        }
        if (value instanceof JsonObject object && object.containsKey("fee")) {
            throw Rejection.invalid(field, "a money fee needs a payment method saved at the provider, which members"
                    + " do not have yet; use \"forfeit\", \"refund\" or {\"forfeitCredits\": N}");
        }
        throw Rejection.invalid(field, "must be \"forfeit\", \"refund\" or {\"forfeitCredits\": N} with N >= 0");
    }

    private static Allowance allowance(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject object) || !(object.getValue("count") instanceof Integer count)
                || count < 0 || !(object.getValue("per") instanceof String per) || object.size() != 2) {
            throw Rejection.invalid(field, "must be {\"count\": N, \"per\": \"P1D\" | \"P1W\" | \"P1M\" | \"P1Y\"}");
        }
        try {
            return new Allowance(count, PeriodDuration.parse(per));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw Rejection.invalid(field + ".per", "must be P1D, P1W, P1M or P1Y (the calendar period counted in)");
        }
    }

    /** The setting as JSON, every part spelled out. */
    public static JsonObject json(PenaltyRule rule) {
        JsonObject out = new JsonObject().put("lateCancel", json(rule.lateCancel())).put("noShow", json(rule.noShow()));
        if (rule.freePerPeriod() != null) {
            out.put("freePerPeriod", new JsonObject().put("count", rule.freePerPeriod().count())
                    .put("per", name(rule.freePerPeriod().per())));
        }
        return out;
    }

    /** A period as it was written: P1W rather than ISO's P7D. */
    private static String name(PeriodDuration per) {
        return per.getPeriod().getDays() == 7 ? "P1W" : per.toString();
    }

    private static Object json(Charge charge) {
        if (charge.forfeitCredits() == null) {
            return "forfeit";
        }
        return charge.forfeitCredits() == 0 ? "refund" : new JsonObject().put("forfeitCredits", charge.forfeitCredits());
    }
}
