package dev.creditline.testkit;

import dev.creditline.api.Accounts;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.ValidityStart;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** Lots for unit tests of policies: {@code TestLots.master("lot_1", 5).trainer("trn_1").build()}. */
public final class TestLots {
    private String id;
    private String account = Accounts.MASTER;
    private int remaining;
    private LotCategory category = LotCategory.PROMOTIONAL;
    private Money cost = Money.zero(Currency.getInstance("EUR"));
    private String trainerId;
    private List<String> schedulers;
    private Instant acquiredAt = Instant.parse("2026-01-01T10:00:00Z");
    private Instant expiresAt;

    private TestLots() {
    }

    /** A promotional master lot with the given credits. */
    public static TestLots master(String id, int credits) {
        TestLots lots = new TestLots();
        lots.id = id;
        lots.remaining = credits;
        return lots;
    }

    /** A paid lot of a product with the given credits and total cost. */
    public static TestLots paid(String id, String productId, int credits, Money cost) {
        TestLots lots = master(id, credits);
        lots.account = productId;
        lots.category = LotCategory.PAID;
        lots.cost = cost;
        return lots;
    }

    public TestLots trainer(String trainer) {
        this.trainerId = trainer;
        return this;
    }

    public TestLots schedulers(List<String> ids) {
        this.schedulers = ids;
        return this;
    }

    public TestLots acquiredAt(Instant at) {
        this.acquiredAt = at;
        return this;
    }

    public TestLots expiresAt(Instant at) {
        this.expiresAt = at;
        return this;
    }

    public Lot build() {
        return new Lot(id, "mem_test", account, Accounts.isMaster(account) ? null : account, null, null, remaining,
                remaining, false, acquiredAt, acquiredAt, expiresAt, null, ValidityStart.PURCHASE, cost, category,
                schedulers, trainerId, false, 0);
    }
}
