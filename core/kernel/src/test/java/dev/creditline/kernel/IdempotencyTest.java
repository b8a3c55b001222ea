package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A retry with the same Idempotency-Key gets the first answer and changes nothing, for every mutating endpoint. */
class IdempotencyTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    /** One mutating request, built on a fresh studio. */
    record Call(String method, String path, Object body) {
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                case_("create member", s -> new Call("POST", "/v1/members", json("name", "Mia"))),
                case_("update member", s -> new Call("PATCH", "/v1/members/" + s.member("Mia"),
                        json("tags", List.of("vip")))),
                case_("erase member", s -> new Call("DELETE", "/v1/members/" + granted(s, 2) + "?forfeit=true",
                        null)),
                case_("merge members", s -> new Call("POST", "/v1/members/" + granted(s, 1) + "/merge",
                        json("fromMemberId", granted(s, 2)))),
                case_("create trainer", s -> new Call("POST", "/v1/trainers", json("name", "Anna"))),
                case_("create scheduler", s -> new Call("POST", "/v1/schedulers", json("name", "Yoga",
                        "creditCost", 1, "paymentMode", "credits", "cancellationWindow", "PT12H"))),
                case_("update scheduler", s -> new Call("PATCH", "/v1/schedulers/" + s.scheduler("Yoga", 1),
                        json("creditCost", 2))),
                case_("create product", s -> new Call("POST", "/v1/products", json("name", "5 Pack",
                        "kind", "package", "credits", 5, "price", json("amount", "50.00")))),
                case_("update product", s -> new Call("PATCH", "/v1/products/" + s.pack("P", 5, "50.00"),
                        json("credits", 6))),
                case_("deactivate product", s -> new Call("POST", "/v1/products/" + s.pack("P", 5, "50.00")
                        + "/deactivate", null)),
                case_("add credits", s -> new Call("POST", "/v1/members/" + s.member("Mia") + "/credits/adjust",
                        json("account", "master", "mode", "add", "amount", 3, "reason", "referral"))),
                case_("set credits", s -> new Call("POST", "/v1/members/" + granted(s, 5) + "/credits/adjust",
                        json("account", "master", "mode", "set", "amount", 1, "expectedBalance", 5,
                                "reason", "fix"))),
                case_("purchase", s -> new Call("POST", "/v1/members/" + s.member("Mia") + "/purchases",
                        json("productId", s.pack("P", 5, "50.00"), "payment", "none"))),
                case_("void purchase", s -> {
                    String member = s.member("Mia");
                    String purchase = s.purchase(member, s.pack("P", 5, "50.00")).text("/id");
                    return new Call("POST", "/v1/purchases/" + purchase + "/void", json("reason", "mistake"));
                }),
                case_("refund purchase", s -> {
                    String member = s.member("Mia");
                    String purchase = s.purchase(member, s.pack("P", 5, "50.00")).text("/id");
                    return new Call("POST", "/v1/purchases/" + purchase + "/refund", json("mode", "credits",
                            "reason", "moving away"));
                }),
                case_("book", s -> new Call("POST", "/v1/bookings", json("memberId", granted(s, 2),
                        "schedulerId", s.scheduler("Yoga", 1), "startsAt", s.now().plus(Duration.ofDays(2))
                                .toString()))),
                case_("cancel booking", s -> {
                    String member = granted(s, 2);
                    String booking = s.book(member, s.scheduler("Yoga", 1), s.now().plus(Duration.ofDays(2)))
                            .expect(201).text("/id");
                    return new Call("POST", "/v1/bookings/" + booking + "/cancel", null);
                }));
    }

    private static Arguments case_(String name, Function<StudioFixture, Call> call) {
        return Arguments.of(name, call);
    }

    private static String granted(StudioFixture studio, int credits) {
        String member = studio.member("Member " + credits);
        studio.grant(member, credits);
        return member;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void aRetryReplaysTheFirstAnswerAndChangesNothing(String name, Function<StudioFixture, Call> setup) {
        StudioFixture studio = server.studio(true);
        Call call = setup.apply(studio);
        String key = UUID.randomUUID().toString();

        Response first = send(studio, call, key);
        assertThat(first.status()).as(first.raw()).isBetween(200, 201);
        Map<String, String> after = server.probe().fingerprint();

        Response retry = send(studio, call, key);
        assertThat(retry.status()).isEqualTo(first.status());
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(server.probe().fingerprint()).isEqualTo(after);

        Response misused = send(studio, new Call("POST", "/v1/members", json("name", "Other")), key);
        assertThat(misused.status()).isEqualTo(422);
        assertThat(misused.text("/errors/0/field")).isEqualTo("Idempotency-Key");
        assertThat(server.probe().fingerprint()).isEqualTo(after);
    }

    private static Response send(StudioFixture studio, Call call, String key) {
        return studio.api().send(call.method(), call.path(), studio.owner(), call.body(),
                Map.of("Idempotency-Key", key));
    }

    @Test
    void aRefusalIsReplayedToo() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String scheduler = studio.scheduler("Yoga", 1);
        var booking = json("memberId", member, "schedulerId", scheduler,
                "startsAt", studio.now().plus(Duration.ofDays(1)).toString());

        Response refused = studio.api().post("/v1/bookings", studio.owner(), booking, "k-1");
        studio.grant(member, 5);
        Response retry = studio.api().post("/v1/bookings", studio.owner(), booking, "k-1");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.body()).isEqualTo(refused.body());
        assertThat(studio.balance(member, "master")).isEqualTo(5);
        assertThat(studio.api().post("/v1/bookings", studio.owner(), booking, "k-2").status()).isEqualTo(201);
    }

    @Test
    void concurrentRequestsWithOneKeyApplyOnce() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = granted(studio, 10);
        String scheduler = studio.scheduler("Yoga", 1);
        var booking = json("memberId", member, "schedulerId", scheduler,
                "startsAt", studio.now().plus(Duration.ofDays(1)).toString());

        List<Response> answers = ConcurrencyTest.concurrently(12, i -> () ->
                studio.api().post("/v1/bookings", studio.owner(), booking, "same-key"));

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.body()).isEqualTo(answers.get(0).body());
        });
        assertThat(studio.balance(member, "master")).isEqualTo(9);
    }

    @Test
    void aKeyUsedAgainAfterItsFirstUseWasForgottenMakesANewPurchase() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        var buy = json("productId", studio.pack("P", 5, "50.00"), "payment", "none");
        String path = "/v1/members/" + member + "/purchases";
        String first = studio.api().post(path, studio.owner(), buy, "buy-1").expect(201).text("/id");
        // What the retention purge does once the key is older than the retention.
        assertThat(server.probe().tryExecute("DELETE FROM idempotency_keys WHERE key = 'buy-1'")).isNull();

        Response again = studio.api().post(path, studio.owner(), buy, "buy-1");

        assertThat(again.status()).as(again.raw()).isEqualTo(201);
        assertThat(again.text("/id")).isNotEqualTo(first);
        assertThat(studio.credits(member).get("total").intValue()).isEqualTo(10);
    }

    @Test
    void aMalformedKeyIsRefused() {
        StudioFixture studio = server.studio(true);
        Response tooLong = studio.api().post("/v1/members", studio.owner(), json("name", "Mia"), "k".repeat(256));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("/errors/0/field")).isEqualTo("Idempotency-Key");
    }
}
