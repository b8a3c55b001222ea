package dev.creditline.testkit;

import dev.creditline.api.Lot;
import dev.creditline.api.spi.LedgerService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * A {@link LedgerService} for plugin unit tests: every call fails until the test overrides it with the answers it
 * needs, e.g. {@code new StubLedger() { public Future<Long> activeBookings(String s, String m) { ... } }}.
 */
public abstract class StubLedger implements LedgerService {

    private static <T> Future<T> notStubbed(String method) {
        return Future.failedFuture(new UnsupportedOperationException("the test did not stub LedgerService." + method));
    }

    @Override
    public LedgerService in(SqlConnection transaction) {
        return this;
    }

    @Override
    public Future<dev.creditline.api.spi.EntryNames> entryNames(String studioId,
                                                                List<dev.creditline.api.spi.LedgerEntry> entries) {
        return notStubbed("entryNames");
    }

    @Override
    public Future<StudioInfo> studio(String studioId) {
        return notStubbed("studio");
    }

    @Override
    public Future<List<Lot>> lots(String studioId, String memberId) {
        return notStubbed("lots");
    }

    @Override
    public Future<List<Lot>> lotsOfTrainer(String studioId, String trainerId) {
        return notStubbed("lotsOfTrainer");
    }

    @Override
    public Future<Long> activeBookings(String studioId, String memberId) {
        return notStubbed("activeBookings");
    }

    @Override
    public Future<TrainerInfo> trainer(String studioId, String trainerId) {
        return notStubbed("trainer");
    }

    @Override
    public Future<ProductInfo> product(String studioId, String productId) {
        return notStubbed("product");
    }

    @Override
    public Future<Void> setTrainerActive(String studioId, String trainerId, boolean active) {
        return notStubbed("setTrainerActive");
    }

    @Override
    public Future<Lot> grant(Grant grant) {
        return notStubbed("grant");
    }

    @Override
    public Future<Lot> reissue(Reissue reissue) {
        return notStubbed("reissue");
    }

    @Override
    public Future<Integer> takeBack(TakeBack takeBack) {
        return notStubbed("takeBack");
    }

    @Override
    public Future<PurchaseInfo> completePurchase(CompletePurchase command) {
        return notStubbed("completePurchase");
    }

    @Override
    public Future<PurchaseInfo> giveProduct(GiveProduct command) {
        return notStubbed("giveProduct");
    }

    @Override
    public Future<SubscriptionInfo> subscriptionPeriodPaid(SubscriptionPeriodPaid command) {
        return notStubbed("subscriptionPeriodPaid");
    }

    @Override
    public Future<SubscriptionInfo> subscriptionChanged(SubscriptionChange command) {
        return notStubbed("subscriptionChanged");
    }

    @Override
    public Future<SubscriptionInfo> subscriptionOfPurchase(String studioId, String purchaseId) {
        return notStubbed("subscriptionOfPurchase");
    }

    @Override
    public Future<PurchaseInfo> refundedAtProvider(RefundedAtProvider command) {
        return notStubbed("refundedAtProvider");
    }

    @Override
    public Future<List<dev.creditline.api.spi.LedgerFigures>> figures(String studioId, java.time.Instant from,
                                                                      java.time.Instant to,
                                                                      java.time.Instant threeMonthsBefore) {
        return notStubbed("figures");
    }

    @Override
    public Future<List<dev.creditline.api.spi.ExpiringCredits>> expiringByMonth(String studioId) {
        return notStubbed("expiringByMonth");
    }

    @Override
    public Future<Void> entries(String studioId, java.time.Instant from, java.time.Instant to,
                                List<String> memberIds, int batchSize,
                                java.util.function.Function<List<dev.creditline.api.spi.LedgerEntry>, Future<Void>> sink) {
        return notStubbed("entries");
    }

    @Override
    public Future<List<String>> memberWithMerged(String studioId, String memberId) {
        return notStubbed("memberWithMerged");
    }

    @Override
    public Future<MemberInfo> member(String studioId, String memberId) {
        return notStubbed("member");
    }

    @Override
    public Future<MemberPage> members(String studioId, String tag, Long after, int limit) {
        return notStubbed("members");
    }

    @Override
    public Future<MemberInfo> tagMember(String studioId, String memberId, String tag, boolean add) {
        return notStubbed("tagMember");
    }

    @Override
    public Future<List<Lot>> lotsExpiring(String studioId, java.time.Instant after, java.time.Instant until) {
        return notStubbed("lotsExpiring");
    }
}
