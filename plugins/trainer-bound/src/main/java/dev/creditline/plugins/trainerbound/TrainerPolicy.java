package dev.creditline.plugins.trainerbound;

import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import dev.creditline.api.spi.CreditPolicy;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/** A lot bound to a trainer pays only for schedulers of that trainer: the others get {@code wrong_trainer}. */
@Extension
public final class TrainerPolicy implements CreditPolicy {

    @Inject
    TrainerPolicy() {
    }

    @Override
    public Future<Decision> decide(Redemption redemption) {
        Map<String, String> vetoes = new LinkedHashMap<>();
        String trainer = redemption.scheduler().trainerId();
        for (Lot lot : redemption.lots()) {
            if (lot.trainerId() != null && !lot.trainerId().equals(trainer)) {
                vetoes.put(lot.id(), IneligibilityReason.WRONG_TRAINER.wireName());
            }
        }
        return Future.succeededFuture(Decision.veto(vetoes));
    }
}
