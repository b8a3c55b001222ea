package dev.creditline.store;

import dev.creditline.store.citus.Distribution;
import dev.creditline.api.Accounts;
import dev.creditline.api.Money;
import dev.creditline.api.PaymentMode;
import dev.creditline.api.ProductKind;
import dev.creditline.api.Scheduler;
import dev.creditline.api.ValidityStart;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.threeten.extra.PeriodDuration;

/** The studio's catalogue: trainers, schedulers and products with their versions. */
public final class CatalogueRepository {

    /** A trainer. */
    public record Trainer(String id, String name, boolean active, Instant createdAt) {
    }

    /**
     * A product as one of its versions describes it.
     *
     * @param credits          credits per purchase, or null when unlimited
     * @param usageLimits      the usage limits as a JSON array (each lot it issues keeps them)
     * @param rolloverMax      for a finite subscription: at most this many credits carry into a new period, or null
     */
    public record Product(String id, int version, boolean active, String name, ProductKind kind, Integer credits,
                          Money price, PeriodDuration validity, ValidityStart validityStart,
                          PeriodDuration billingInterval, List<String> redeemableSchedulerIds, String trainerId,
                          JsonArray usageLimits, Integer rolloverMax, Instant createdAt) {

        public boolean unlimited() {
            return credits == null;
        }

        /** Whether a version would sell the same terms as this one (then a PATCH makes no new version). */
        public boolean sameTerms(Product other) {
            return withVersion(0, Instant.EPOCH).equals(other.withVersion(0, Instant.EPOCH));
        }

        /** The same product as a new version with other terms. */
        public Product withVersion(int newVersion, Instant at) {
            return new Product(id, newVersion, active, name, kind, credits, price, validity, validityStart,
                    billingInterval, redeemableSchedulerIds, trainerId, usageLimits, rolloverMax, at);
        }

        /** Its usage limits as values. */
        public List<dev.creditline.api.UsageLimit> limits() {
            return Rows.usageLimits(usageLimits);
        }
    }

    private static final String SCHEDULER_COLUMNS =
            "id, name, credit_cost, payment_mode, trainer_id, cancellation_window, price_minor, price_currency";
    private static final String PRODUCT_COLUMNS = """
            p.id, p.active, v.version, v.name, v.kind, v.credits, v.price_minor, v.currency, v.validity,
            v.validity_start, v.billing_interval, v.redeemable_scheduler_ids, v.trainer_id, v.usage_limits,
            v.rollover_max, v.created_at""";

    private final Distribution distribution;

    @Inject
    public CatalogueRepository(Distribution distribution) {
        this.distribution = distribution;
    }

    // Trainers

    public Future<Void> insertTrainer(SqlClient client, String studioId, Trainer trainer) {
        return client.preparedQuery("INSERT INTO trainers (studio_id, id, name, active, created_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(studioId, trainer.id(), trainer.name(), trainer.active(),
                        Rows.timestamp(trainer.createdAt())))
                .mapEmpty();
    }

    public Future<Trainer> trainer(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT id, name, active, created_at FROM trainers WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, CatalogueRepository::trainer));
    }

    /** The studio's trainers, newest first. */
    public Future<ListPage<Trainer>> trainers(SqlClient client, String studioId, Long after, int limit) {
        return new ListQuery("SELECT id, name, active, created_at, seq FROM trainers", "", studioId)
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, CatalogueRepository::trainer));
    }

    private static Trainer trainer(Row row) {
        return new Trainer(row.getString("id"), row.getString("name"), row.getBoolean("active"),
                Rows.instant(row, "created_at"));
    }

    public Future<Boolean> setTrainerActive(SqlClient client, String studioId, String id, boolean active) {
        return client.preparedQuery("UPDATE trainers SET active = $3 WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id, active))
                .map(rows -> rows.rowCount() == 1);
    }

    // Schedulers

    public Future<Void> insertScheduler(SqlClient client, String studioId, Scheduler scheduler, Instant at) {
        return client.preparedQuery("INSERT INTO schedulers (studio_id, " + SCHEDULER_COLUMNS
                        + ", created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)")
                .execute(schedulerTuple(studioId, scheduler).addValue(Rows.timestamp(at)))
                .mapEmpty();
    }

    /** The scheduler's own {@code penalty} setting (JSON), or null: the studio's applies. */
    public Future<String> schedulerPenalty(SqlClient client, String studioId, String schedulerId) {
        return client.preparedQuery("SELECT penalty::text AS penalty FROM schedulers WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, schedulerId))
                .map(rows -> Rows.first(rows, row -> row.getString("penalty")));
    }

    /** Sets the scheduler's own {@code penalty} setting (JSON; null to follow the studio's). */
    public Future<Void> setSchedulerPenalty(SqlClient client, String studioId, String schedulerId, String json) {
        return client.preparedQuery("UPDATE schedulers SET penalty = $3::text::jsonb WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, schedulerId, json)).mapEmpty();
    }

    public Future<Void> updateScheduler(SqlClient client, String studioId, Scheduler scheduler, Instant at) {
        return client.preparedQuery("""
                        UPDATE schedulers SET name = $3, credit_cost = $4, payment_mode = $5, trainer_id = $6,
                            cancellation_window = $7, price_minor = $8, price_currency = $9, updated_at = $10
                        WHERE studio_id = $1 AND id = $2""")
                .execute(schedulerTuple(studioId, scheduler).addValue(Rows.timestamp(at)))
                .mapEmpty();
    }

    private static Tuple schedulerTuple(String studioId, Scheduler s) {
        return Tuple.of(studioId, s.id(), s.name(), s.creditCost(), s.paymentMode().wireName(), s.trainerId())
                .addValue(s.cancellationWindow().toString())
                .addValue(s.price() == null ? null : s.price().minor())
                .addValue(s.price() == null ? null : s.price().currency().getCurrencyCode());
    }

    /** The scheduler, or null. */
    public Future<Scheduler> scheduler(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + SCHEDULER_COLUMNS + " FROM schedulers WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, CatalogueRepository::scheduler));
    }

    /** The studio's schedulers, newest first. */
    public Future<ListPage<Scheduler>> schedulers(SqlClient client, String studioId, Long after, int limit) {
        return new ListQuery("SELECT " + SCHEDULER_COLUMNS + ", seq FROM schedulers", "", studioId)
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, CatalogueRepository::scheduler));
    }

    /** The given schedulers that exist. */
    public Future<List<Scheduler>> schedulers(SqlClient client, String studioId, Collection<String> ids) {
        return client.preparedQuery("SELECT " + SCHEDULER_COLUMNS + " FROM schedulers WHERE studio_id = $1 AND id = ANY($2)")
                .execute(Rows.args(studioId, ids.toArray(String[]::new)))
                .map(rows -> Rows.all(rows, CatalogueRepository::scheduler));
    }

    /** The given schedulers of several studios that exist. */
    public Future<Map<ScopedId, Scheduler>> schedulers(SqlClient client, Collection<ScopedId> ids) {
        List<ScopedId> wanted = ScopedId.sorted(ids);
        return client.preparedQuery("SELECT want.studio_id AS of_studio, s.* FROM unnest($1::text[], $2::text[])"
                        + " AS want(studio_id, id), LATERAL (SELECT " + SCHEDULER_COLUMNS + " FROM schedulers"
                        + " WHERE "
                        + distribution.batchShard("studio_id") + "studio_id = want.studio_id AND id = want.id) s")
                .execute(ScopedId.args(wanted))
                .map(rows -> ScopedId.byId(rows, "id", CatalogueRepository::scheduler));
    }

    /** The scheduler locked against a concurrent change, or null. */
    public Future<Scheduler> lockScheduler(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + SCHEDULER_COLUMNS
                        + " FROM schedulers WHERE studio_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, CatalogueRepository::scheduler));
    }

    /** The subset of the given scheduler ids that exist in the studio. */
    public Future<Set<String>> existingSchedulers(SqlClient client, String studioId, Collection<String> ids) {
        return client.preparedQuery("SELECT id FROM schedulers WHERE studio_id = $1 AND id = ANY($2)")
                .execute(Rows.args(studioId, ids.toArray(String[]::new)))
                .map(rows -> new HashSet<>(Rows.all(rows, row -> row.getString("id"))));
    }

    private static Scheduler scheduler(Row row) {
        Long priceMinor = row.getLong("price_minor");
        return new Scheduler(row.getString("id"), row.getString("name"), row.getInteger("credit_cost"),
                PaymentMode.valueOf(row.getString("payment_mode").toUpperCase(Locale.ROOT)),
                row.getString("trainer_id"), Rows.period(row, "cancellation_window"),
                priceMinor == null ? null : new Money(priceMinor, Currency.getInstance(row.getString("price_currency"))));
    }

    // Products

    public Future<Void> insertProduct(SqlClient client, String studioId, Product product) {
        return client.preparedQuery(
                        "INSERT INTO products (studio_id, id, current_version, active, created_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(studioId, product.id(), product.version(), product.active(),
                        Rows.timestamp(product.createdAt())))
                .compose(done -> insertVersion(client, studioId, product));
    }

    /** Stores a new version of an existing product and makes it current. */
    public Future<Void> addVersion(SqlClient client, String studioId, Product product) {
        return insertVersion(client, studioId, product)
                .compose(done -> client.preparedQuery(
                                "UPDATE products SET current_version = $3 WHERE studio_id = $1 AND id = $2")
                        .execute(Tuple.of(studioId, product.id(), product.version())))
                .mapEmpty();
    }

    private Future<Void> insertVersion(SqlClient client, String studioId, Product p) {
        return client.preparedQuery("""
                        INSERT INTO product_versions (studio_id, product_id, version, name, kind, credits, unlimited,
                            price_minor, currency, validity, validity_start, billing_interval,
                            redeemable_scheduler_ids, trainer_id, usage_limits, rollover_max, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)""")
                .execute(Tuple.of(studioId, p.id(), p.version(), p.name(), p.kind().wireName(), p.credits())
                        .addValue(p.unlimited())
                        .addValue(p.price().minor())
                        .addValue(p.price().currency().getCurrencyCode())
                        .addValue(Rows.text(p.validity()))
                        .addValue(p.validityStart().wireName())
                        .addValue(Rows.text(p.billingInterval()))
                        .addValue(Rows.array(p.redeemableSchedulerIds()))
                        .addValue(p.trainerId())
                        .addValue(p.usageLimits())
                        .addValue(p.rolloverMax())
                        .addValue(Rows.timestamp(p.createdAt())))
                .mapEmpty();
    }

    /**
     * The product an account holds the credits of: null for master credits, 404 naming {@code account} when the
     * studio has no such product.
     */
    public Future<Product> accountProduct(SqlClient client, String studioId, String account) {
        if (Accounts.isMaster(account)) {
            return Future.succeededFuture(null);
        }
        return product(client, studioId, account).map(product -> {
            if (product == null) {
                throw Rejection.notFound("account", "product", account);
            }
            return product;
        });
    }

    /** The current versions of products of several studios, each by its scoped id (absent when not found). */
    public Future<Map<ScopedId, Product>> products(SqlClient client, Collection<ScopedId> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("SELECT want.studio_id AS of_studio, " + PRODUCT_COLUMNS
                        + " FROM unnest($1::text[], $2::text[]) AS want(studio_id, id) JOIN LATERAL (SELECT * FROM"
                        + " products WHERE "
                        + distribution.batchShard("studio_id") + "studio_id = want.studio_id AND id = want.id OFFSET 0)"
                        + " p ON true JOIN product_versions v ON "
                        + distribution.batchShard("v.studio_id") + "v.studio_id = p.studio_id"
                        + " AND v.product_id = p.id"
                        + " AND v.version = p.current_version")
                .execute(ScopedId.args(ScopedId.sorted(ids)))
                .map(rows -> ScopedId.byId(rows, "id", CatalogueRepository::product));
    }

    /** The product's current version, or null. */
    public Future<Product> product(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + PRODUCT_COLUMNS + """
                         FROM products p JOIN product_versions v
                            ON v.studio_id = p.studio_id AND v.product_id = p.id AND v.version = p.current_version
                        WHERE p.studio_id = $1 AND p.id = $2""")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, CatalogueRepository::product));
    }

    /** One version of a product (what a purchase bought), or null. */
    public Future<Product> productVersion(SqlClient client, String studioId, String id, int version) {
        return client.preparedQuery("SELECT " + PRODUCT_COLUMNS + """
                         FROM products p JOIN product_versions v
                            ON v.studio_id = p.studio_id AND v.product_id = p.id AND v.version = $3
                        WHERE p.studio_id = $1 AND p.id = $2""")
                .execute(Tuple.of(studioId, id, version))
                .map(rows -> Rows.first(rows, CatalogueRepository::product));
    }

    /** The current versions of the given products. */
    public Future<List<Product>> products(SqlClient client, String studioId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return client.preparedQuery("SELECT " + PRODUCT_COLUMNS + """
                         FROM products p JOIN product_versions v
                            ON v.studio_id = p.studio_id AND v.product_id = p.id AND v.version = p.current_version
                        WHERE p.studio_id = $1 AND p.id = ANY($2)""")
                .execute(Rows.args(studioId, ids.toArray(String[]::new)))
                .map(rows -> Rows.all(rows, CatalogueRepository::product));
    }

    /** The studio's products (their current versions), newest first; {@code active} null lists all. */
    public Future<ListPage<Product>> products(SqlClient client, String studioId, Boolean active, Long after,
                                                 int limit) {
        return new ListQuery("SELECT " + PRODUCT_COLUMNS + ", p.seq " + """
                         FROM products p JOIN product_versions v
                            ON v.studio_id = p.studio_id AND v.product_id = p.id AND v.version = p.current_version""",
                "p", studioId)
                .equal("active", active)
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, CatalogueRepository::product));
    }

    /** The product locked against concurrent changes (PATCH, deactivate), or null. */
    public Future<Product> lockProduct(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT 1 FROM products WHERE studio_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(studioId, id))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null) : product(client, studioId, id));
    }

    public Future<Void> deactivate(SqlClient client, String studioId, String id) {
        return client.preparedQuery("UPDATE products SET active = false WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id))
                .mapEmpty();
    }

    private static Product product(Row row) {
        Currency currency = Currency.getInstance(row.getString("currency"));
        String billing = row.getString("billing_interval");
        return new Product(row.getString("id"), row.getInteger("version"), row.getBoolean("active"),
                row.getString("name"), ProductKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)),
                row.getInteger("credits"), new Money(row.getLong("price_minor"), currency),
                Rows.period(row, "validity"),
                ValidityStart.valueOf(row.getString("validity_start").toUpperCase(Locale.ROOT)),
                billing == null ? null : PeriodDuration.parse(billing), Rows.strings(row, "redeemable_scheduler_ids"),
                row.getString("trainer_id"), (JsonArray) row.getJson("usage_limits"), row.getInteger("rollover_max"),
                Rows.instant(row, "created_at"));
    }
}
