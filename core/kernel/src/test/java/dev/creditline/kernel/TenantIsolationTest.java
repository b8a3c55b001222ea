package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A key of one studio never reads or changes another's data: every id of another studio answers 404. */
class TenantIsolationTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    static StudioFixture mine;
    static StudioFixture theirs;
    static String myMember;
    static String myScheduler;
    static String member;
    static String trainer;
    static String scheduler;
    static String product;
    static String purchase;
    static String booking;
    static String subscription;

    @BeforeAll
    static void twoStudios() {
        mine = server.studio(true);
        theirs = server.studio(true);
        myMember = mine.member("Mine");
        mine.grant(myMember, 5);
        myScheduler = mine.scheduler("Mine", 1);
        member = theirs.member("Theirs");
        trainer = theirs.trainer("Their trainer");
        scheduler = theirs.scheduler("Theirs", 1);
        product = theirs.pack("Their pack", 5, "50.00");
        purchase = theirs.purchase(member, product).text("/id");
        booking = theirs.book(member, scheduler, theirs.now().plus(Duration.ofDays(2))).expect(201).text("/id");
        theirs.purchase(member, theirs.product(json("name", "Their monthly", "kind", "subscription", "credits", 4,
                "price", json("amount", "40.00"), "billingInterval", "P1M")));
        subscription = theirs.api().get("/v1/members/" + member + "/subscriptions", theirs.owner()).expect(200)
                .body().at("/items/0/id").asText();
    }

    static Stream<Arguments> requestsWithTheirIds() {
        String later = "2031-01-01T10:00:00Z";
        return Stream.of(
                req("GET", "/v1/trainers/" + trainer, null),
                req("GET", "/v1/schedulers/" + scheduler, null),
                req("PATCH", "/v1/schedulers/" + scheduler, json("creditCost", 2)),
                req("POST", "/v1/schedulers", json("name", "S", "creditCost", 1, "paymentMode", "credits",
                        "cancellationWindow", "PT1H", "trainerId", trainer)),
                req("GET", "/v1/products/" + product, null),
                req("PATCH", "/v1/products/" + product, json("credits", 9)),
                req("POST", "/v1/products/" + product + "/deactivate", null),
                req("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 1,
                        "price", json("amount", "1.00"), "trainerId", trainer)),
                req("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 1,
                        "price", json("amount", "1.00"), "redeemableSchedulerIds", List.of(scheduler))),
                req("GET", "/v1/members/" + member, null),
                req("PATCH", "/v1/members/" + member, json("name", "Renamed")),
                req("DELETE", "/v1/members/" + member + "?forfeit=true", null),
                req("POST", "/v1/members/" + member + "/merge", json("fromMemberId", myMember)),
                req("POST", "/v1/members/" + myMember + "/merge", json("fromMemberId", member)),
                req("GET", "/v1/members/" + member + "/credits", null),
                req("GET", "/v1/members/" + member + "/credit-logs", null),
                req("GET", "/v1/members/" + member + "/eligibility?schedulerId=" + myScheduler, null),
                req("GET", "/v1/members/" + myMember + "/eligibility?schedulerId=" + scheduler, null),
                req("POST", "/v1/members/" + member + "/credits/adjust", json("account", "master", "mode", "add",
                        "amount", 1, "reason", "x")),
                req("POST", "/v1/members/" + myMember + "/credits/adjust", json("account", product, "mode", "add",
                        "amount", 1, "reason", "x")),
                req("POST", "/v1/members/" + member + "/purchases", json("productId", product, "payment", "none")),
                req("POST", "/v1/members/" + myMember + "/purchases", json("productId", product, "payment", "none")),
                req("GET", "/v1/purchases/" + purchase, null),
                req("POST", "/v1/purchases/" + purchase + "/void", json("reason", "x")),
                req("POST", "/v1/bookings", json("memberId", member, "schedulerId", myScheduler, "startsAt", later)),
                req("POST", "/v1/bookings", json("memberId", myMember, "schedulerId", scheduler, "startsAt", later)),
                req("GET", "/v1/bookings/" + booking, null),
                req("POST", "/v1/bookings/" + booking + "/cancel", null),
                req("POST", "/v1/api-keys", json("role", "athlete", "memberId", member)),
                req("GET", "/v1/members/" + member + "/subscriptions", null),
                req("GET", "/v1/subscriptions/" + subscription, null),
                req("POST", "/v1/subscriptions/" + subscription + "/cancel", null));
    }

    private static Arguments req(String method, String path, Object body) {
        return Arguments.of(method + " " + path, method, path, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsWithTheirIds")
    void anotherStudiosIdIsNotFoundAndNothingChanges(String name, String method, String path, Object body) {
        Map<String, String> before = server.probe().fingerprint();

        Response answer = mine.api().send(method, path, mine.owner(), body, Map.of());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.raw()).doesNotContain("Theirs").doesNotContain("Their pack");
        assertThat(server.probe().fingerprint()).isEqualTo(before);
    }

    @Test
    void theirDataIsUntouched() {
        assertThat(theirs.balance(member, product)).isEqualTo(4);
        assertThat(theirs.api().get("/v1/bookings/" + booking, theirs.owner()).expect(200).text("/status"))
                .isEqualTo("booked");
    }
}
