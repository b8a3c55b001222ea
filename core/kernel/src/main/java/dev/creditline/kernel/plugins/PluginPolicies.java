package dev.creditline.kernel.plugins;

import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import dev.creditline.api.spi.CreditPolicy;
import dev.creditline.api.spi.Extensions;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.store.RedemptionPolicyPort;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import dev.creditline.api.spi.LedgerService;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The studio's {@link CreditPolicy} extensions, asked in plugin order: their vetoes add up, and the first policy that
 * answers an order sets it. An answer that names lots it was not offered, an order that is not an order of the
 * eligible lots, or a malformed reason code is nonsense: the booking fails with the plugin named.
 */
@Singleton
public final class PluginPolicies implements RedemptionPolicyPort {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Provider<PluginRuntime> runtime;
    private final ContainedCalls calls;
    private final Provider<KernelLedgerService> ledger;

    @Inject
    public PluginPolicies(Provider<PluginRuntime> runtime, ContainedCalls calls, Provider<KernelLedgerService> ledger) {
        this.runtime = runtime;
        this.calls = calls;
        this.ledger = ledger;
    }

    @Override
    public boolean activeFor(String studioId) {
        return !runtime.get().forStudio(studioId, CreditPolicy.class).isEmpty();
    }

    @Override
    public Future<EligibilityReport> apply(SqlClient client, StudioContext s, String memberId, Scheduler scheduler,
                                           Instant startsAt, EligibilityReport report) {
        List<Extensions.Contained<CreditPolicy>> policies = runtime.get().forStudio(s.id(), CreditPolicy.class);
        List<Lot> offered = report.eligibleLots();
        if (policies.isEmpty() || offered.isEmpty()) {
            return Future.succeededFuture(report);
        }
        // Policies read in the booking's transaction: the member's state as locked, and no second connection.
        LedgerService reads = client instanceof SqlConnection tx ? ledger.get().in(tx) : ledger.get();
        var redemption = new CreditPolicy.Redemption(s.id(), memberId, scheduler, startsAt, s.now(), offered, reads);
        Set<String> offeredIds = new HashSet<>();
        offered.forEach(lot -> offeredIds.add(lot.id()));
        Map<String, List<String>> vetoes = new LinkedHashMap<>();
        List<String>[] order = new List[1];
        String[] orderedBy = new String[1];
        Future<Void> asked = Future.succeededFuture();
        for (Extensions.Contained<CreditPolicy> policy : policies) {
            asked = asked.compose(done -> policy.call("decide", p -> p.decide(redemption)).map(decision -> {
                check(policy.pluginId(), decision, offeredIds);
                decision.vetoes().forEach((lotId, code) ->
                        vetoes.computeIfAbsent(lotId, k -> new ArrayList<>()).add(code));
                if (decision.order() != null && order[0] == null) {
                    order[0] = decision.order();
                    orderedBy[0] = policy.pluginId();
                }
                return null;
            }));
        }
        return asked.map(done -> {
            List<String> finalOrder = order[0] == null ? null
                    : order[0].stream().filter(id -> !vetoes.containsKey(id)).toList();
            try {
                return report.withPolicies(vetoes, finalOrder);
            } catch (IllegalArgumentException e) {
                throw calls.invalid(orderedBy[0] == null ? policies.get(0).pluginId() : orderedBy[0],
                        "CreditPolicy.decide", e.getMessage());
            }
        });
    }

    private void check(String pluginId, CreditPolicy.Decision decision, Set<String> offered) {
        String problem = null;
        if (decision == null || decision.vetoes() == null) {
            problem = "no decision";
        } else {
            for (var veto : decision.vetoes().entrySet()) {
                if (!offered.contains(veto.getKey())) {
                    problem = "a veto of lot " + veto.getKey() + ", which was not offered";
                } else if (veto.getValue() == null || !CODE.matcher(veto.getValue()).matches()) {
                    problem = "the reason code \"" + veto.getValue() + "\" (lower case, digits and _ only)";
                }
            }
            if (decision.order() != null && !offered.containsAll(decision.order())) {
                problem = "an order naming lots that were not offered";
            }
        }
        if (problem != null) {
            throw calls.invalid(pluginId, "CreditPolicy.decide", problem);
        }
    }
}
