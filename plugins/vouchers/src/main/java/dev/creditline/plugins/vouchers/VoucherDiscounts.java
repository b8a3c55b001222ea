package dev.creditline.plugins.vouchers;

import dev.creditline.api.spi.VoucherRule;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Applies the studio's discount vouchers to purchases, inside the purchase's transaction: the voucher's row is locked,
 * its limits checked and the redemption recorded there, so a code is never used more often than allowed and a failed
 * purchase uses nothing.
 */
@Extension
public final class VoucherDiscounts implements VoucherRule {
    private final VoucherStore store;

    @Inject
    VoucherDiscounts(VoucherStore store) {
        this.store = store;
    }

    @Override
    public Future<Optional<Effect>> apply(Application a) {
        String code = a.code().trim().toUpperCase(Locale.ROOT);
        // Free vouchers are refused without locking them (their redemptions lock in the other order).
        return store.find(a.transaction(), a.studioId(), code, false).compose(peek -> {
            if (peek == null) {
                return Future.succeededFuture(Optional.<Effect>empty());
            }
            if (!peek.type().discount()) {
                return Future.succeededFuture(Optional.of(Effect.refuse("voucher " + code + " gives "
                        + peek.type().wireName().replace('_', ' ') + ": redeem it with POST /v1/vouchers/" + code
                        + "/redeem")));
            }
            return store.find(a.transaction(), a.studioId(), code, true).compose(voucher ->
                    store.redemptionsBy(a.transaction(), a.studioId(), code, a.memberId()).compose(used -> {
                        String refusal = voucher.refusal(a.now(), a.productId(), used);
                        var price = refusal == null ? voucher.discounted(a.price()) : null;
                        if (refusal == null && price == null) {
                            refusal = "voucher " + code + " is in " + voucher.amount().currency()
                                    + ", the product in " + a.price().currency();
                        }
                        if (refusal != null) {
                            return Future.succeededFuture(Optional.of(Effect.refuse(refusal)));
                        }
                        return store.redeem(a.transaction(), a.studioId(), code, a.memberId(), a.purchaseId(),
                                a.now()).map(done -> Optional.of(Effect.discount(price)));
                    }));
        });
    }
}
