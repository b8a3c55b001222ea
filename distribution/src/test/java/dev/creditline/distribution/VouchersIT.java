package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The vouchers plugin: discounts, free credits and packages, and limits that hold under concurrency. */
class VouchersIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    private static StudioFixture studio() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "vouchers", null);
        return studio;
    }

    private static Response voucher(StudioFixture studio, Object body) {
        return studio.api().post("/v1/vouchers", studio.owner(), body);
    }

    private static Response buy(StudioFixture studio, String member, String product, String code) {
        return studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "none", "voucherCode", code));
    }

    @Test
    void aPercentVoucherRedeemedAtTheDeskIsASaleAtTheAmountTaken() {
        StudioFixture studio = studio();
        String product = studio.pack("10 Pack", 10, "135.00");
        String code = voucher(studio, json("code", "spring20", "type", "percent", "value", 20)).expect(201)
                .text("/code");
        String member = studio.member("Mia");

        // Paid outside Creditline, the amount taken is what was paid (a provider is asked for the discounted
        // price: StripeIT; the discount's arithmetic: VoucherTest).
        Response bought = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "outside", "amountPaid", json("amount", "108.00"),
                        "voucherCode", "SPRING20")).expect(201);

        assertThat(code).isEqualTo("SPRING20");
        assertThat(bought.text("/amountPaid/amount")).isEqualTo("108.00");
        assertThat(bought.text("/voucherCode")).isEqualTo("SPRING20");
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE id = ?", bought.text("/lots/0/id")))
                .isEqualTo(10800);
        assertThat(studio.api().get("/v1/vouchers/SPRING20", studio.owner()).number("/redemptions")).isEqualTo(1);
    }

    @Test
    void vouchersAreListedNewestFirstPageByPageAndOnlyTheStudiosOwn() {
        StudioFixture studio = studio();
        StudioFixture other = studio();
        voucher(other, json("code", "THEIRS", "type", "percent", "value", 5)).expect(201);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            codes.add(0, voucher(studio, json("type", "free_credits", "value", 1)).expect(201).text("/code"));
        }

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Response page = studio.api().get("/v1/vouchers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    studio.owner()).expect(200);
            page.body().get("items").forEach(v -> listed.add(v.get("code").asText()));
            cursor = page.text("/next");
        } while (cursor != null);

        assertThat(listed).containsExactlyElementsOf(codes);
        Response unknown = studio.api().get("/v1/vouchers?tpye=percent", studio.owner());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text("/errors/0/field")).isEqualTo("tpye");
        assertThat(studio.api().get("/v1/vouchers?cursor=bm9wZQ", studio.owner()).status()).isEqualTo(422);
    }

    @Test
    void aFixedDiscountNeverGoesBelowZero() {
        StudioFixture studio = studio();
        String cheap = studio.pack("Trial", 1, "5.00");
        String code = voucher(studio, json("type", "amount", "value", json("amount", "10.00"))).expect(201)
                .text("/code");

        Response bought = buy(studio, studio.member("Noah"), cheap, code).expect(201);

        assertThat(bought.text("/amountPaid/amount")).isEqualTo("0.00");
        assertThat(bought.text("/lots/0/category")).isEqualTo("promotional");
    }

    @Test
    void generatedCodesUseAnUnambiguousAlphabet() {
        StudioFixture studio = studio();
        for (int i = 0; i < 20; i++) {
            String code = voucher(studio, json("type", "percent", "value", 5)).expect(201).text("/code");
            assertThat(code).hasSize(8).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]+");
        }
        assertThat(voucher(studio, json("code", "DUP-1", "type", "percent", "value", 5)).status()).isEqualTo(201);
        assertThat(voucher(studio, json("code", "dup-1", "type", "percent", "value", 5)).status()).isEqualTo(409);
    }

    @Test
    void freeCreditsAndAFreePackageAreRedeemed() {
        StudioFixture studio = studio();
        String product = studio.pack("5 Pack", 5, "60.00");
        String credits = voucher(studio, json("type", "free_credits", "value", 2)).expect(201).text("/code");
        String pack = voucher(studio, json("type", "free_package", "value", product)).expect(201).text("/code");
        String member = studio.member("Ava");

        Response gift = studio.api().post("/v1/vouchers/" + credits + "/redeem", studio.owner(),
                json("memberId", member)).expect(200);
        Response freePack = studio.api().post("/v1/vouchers/" + pack + "/redeem", studio.owner(),
                json("memberId", member)).expect(200);

        assertThat(gift.number("/credits")).isEqualTo(2);
        assertThat(studio.balance(member, "master")).isEqualTo(2);
        assertThat(studio.balance(member, product)).isEqualTo(5);
        assertThat(studio.api().get("/v1/purchases/" + freePack.text("/purchaseId"), studio.owner())
                .text("/amountPaid/amount")).isEqualTo("0.00");
        assertThat(buy(studio, member, product, credits).status()).as("not a discount").isEqualTo(409);
        assertThat(studio.api().post("/v1/vouchers/NOPE/redeem", studio.owner(), json("memberId", member)).status())
                .isEqualTo(404);
    }

    @Test
    void limitsAreEnforced() {
        StudioFixture studio = studio();
        String yoga = studio.pack("Yoga 10", 10, "100.00");
        String spin = studio.pack("Spin 10", 10, "100.00");
        String now = studio.now().toString();
        String once = voucher(studio, json("type", "percent", "value", 10, "oncePerMember", true)).expect(201)
                .text("/code");
        String yogaOnly = voucher(studio, json("type", "percent", "value", 10, "productIds", List.of(yoga)))
                .expect(201).text("/code");
        String later = voucher(studio, json("type", "percent", "value", 10,
                "validFrom", studio.now().plus(Duration.ofDays(7)).toString())).expect(201).text("/code");
        String expiring = voucher(studio, json("type", "percent", "value", 10, "validFrom", now,
                "validUntil", studio.now().plus(Duration.ofDays(1)).toString())).expect(201).text("/code");
        String member = studio.member("Ida");

        buy(studio, member, yoga, once).expect(201);
        assertThat(buy(studio, member, yoga, once).text("/detail")).contains("once per member");
        assertThat(buy(studio, member, spin, yogaOnly).text("/detail")).contains("does not apply");
        buy(studio, member, yoga, yogaOnly).expect(201);
        assertThat(buy(studio, member, yoga, later).text("/detail")).contains("valid from");
        studio.clock(studio.now().plus(Duration.ofDays(2)));
        assertThat(buy(studio, member, yoga, expiring).text("/detail")).contains("expired");
        assertThat(studio.balance(member, yoga)).isEqualTo(20);
    }

    @Test
    void oneHundredParallelRedemptionsOfATenUseCodeGiveExactlyTen() throws Exception {
        StudioFixture studio = studio();
        String product = studio.pack("5 Pack", 5, "50.00");
        String code = voucher(studio, json("type", "percent", "value", 50, "maxRedemptions", 10)).expect(201)
                .text("/code");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            members.add(studio.member("M" + i));
        }

        List<Response> answers = Concurrently.run(100, i -> () -> buy(studio, members.get(i), product, code));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(10);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(90)
                .allSatisfy(r -> assertThat(r.text("/type")).endsWith("/voucher_refused"));
        assertThat(studio.api().get("/v1/vouchers/" + code, studio.owner()).number("/redemptions")).isEqualTo(10);
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ?", studio.id()))
                .isEqualTo(10);
    }

    @Test
    void badVouchersAreRefusedNamingTheField() {
        StudioFixture studio = studio();
        assertThat(voucher(studio, json("type", "percent", "value", 120)).text("/errors/0/field")).isEqualTo("value");
        assertThat(voucher(studio, json("type", "gift")).text("/errors/0/field")).isEqualTo("type");
        assertThat(voucher(studio, json("type", "free_package", "value", "prd_nope")).status()).isEqualTo(404);
        assertThat(voucher(studio, json("code", "x", "type", "percent", "value", 5)).text("/errors/0/field"))
                .isEqualTo("code");
        assertThat(voucher(studio, json("type", "percent", "value", 5, "maxRedemptions", 0)).text("/errors/0/field"))
                .isEqualTo("maxRedemptions");
    }

    @Test
    void aStudioWithoutThePluginHasNoVouchers() {
        StudioFixture without = server.studio(true);
        assertThat(voucher(without, json("type", "percent", "value", 10)).status()).isEqualTo(404);
        String product = without.pack("5 Pack", 5, "50.00");
        Response refused = buy(without, without.member("Leo"), product, "ANY");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("/errors/0/field")).isEqualTo("voucherCode");
    }


    @Test
    void theDashboardGetsTheVouchersPageOfStudiosThatEnabledThePlugin() {
        StudioFixture studio = studio();
        StudioFixture without = server.studio(true);

        Response pages = studio.api().get("/v1/dashboard/pages?language=de", studio.owner()).expect(200);
        assertThat(pages.body().get("items")).hasSize(1);
        assertThat(pages.text("/items/0/title")).isEqualTo("Gutscheine");
        assertThat(pages.text("/items/0/slug")).isEqualTo("vouchers");
        String module = pages.text("/items/0/module");
        assertThat(module).isEqualTo("/dashboard/plugins/vouchers/vouchers.js");
        assertThat(studio.api().get("/v1/dashboard/pages", studio.key("coach", null)).expect(200)
                .text("/items/0/title")).isEqualTo("Vouchers");
        assertThat(without.api().get("/v1/dashboard/pages", without.owner()).expect(200).body().get("items"))
                .as("a studio without the plugin").isEmpty();
        String athlete = studio.key("athlete", studio.member("Ida"));
        assertThat(studio.api().get("/v1/dashboard/pages", athlete).status()).isEqualTo(403);

        Response file = studio.api().get(module, null).expect(200);
        assertThat(file.header("Content-Type")).startsWith("text/javascript");
        assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(file.raw()).contains("export async function render(root, context)");
        for (String forbidden : List.of("/dashboard/plugins/vouchers/..%2Fvouchers.js",
                "/dashboard/plugins/vouchers/VouchersPage.class", "/dashboard/plugins/vouchers/nothing.js",
                "/dashboard/plugins/nosuchplugin/vouchers.js", "/dashboard/plugins/vouchers/.hidden.js")) {
            assertThat(studio.api().get(forbidden, null).status()).as(forbidden).isEqualTo(404);
        }
    }
}
