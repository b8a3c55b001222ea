package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trainer-bound plugin: bound credits pay only for their trainer, and a leaving trainer's credits move. */
class TrainerBoundIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    /** A studio with the plugin, two trainers with a class each, and a member holding 10 credits bound to Anna. */
    record Setup(StudioFixture studio, String anna, String ben, String annasClass, String bensClass, String product,
                 String member, String purchase) {
        static Setup create() {
            StudioFixture studio = server.studio(true);
            PluginServers.enable(studio, "trainer-bound", null);
            String anna = studio.trainer("Anna");
            String ben = studio.trainer("Ben");
            String annasClass = studio.scheduler(json("name", "PT with Anna", "creditCost", 1, "paymentMode",
                    "credits", "trainerId", anna, "cancellationWindow", "PT24H"));
            String bensClass = studio.scheduler(json("name", "PT with Ben", "creditCost", 1, "paymentMode",
                    "credits", "trainerId", ben, "cancellationWindow", "PT24H"));
            String product = studio.product(json("name", "10 x PT Anna", "kind", "package", "credits", 10,
                    "price", json("amount", "500.00"), "validity", "P3M", "trainerId", anna));
            String member = studio.member("Mia");
            String purchase = studio.sell(member, product).text("/id");
            return new Setup(studio, anna, ben, annasClass, bensClass, product, member, purchase);
        }
    }

    @Test
    void boundCreditsPayOnlyForTheirTrainersClasses() {
        Setup s = Setup.create();
        Instant later = s.studio().now().plus(Duration.ofDays(3));

        Response wrong = s.studio().book(s.member(), s.bensClass(), later);
        Response right = s.studio().book(s.member(), s.annasClass(), later);

        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.body().at("/eligibility/lots/0/reasons/0").asText()).isEqualTo("wrong_trainer");
        assertThat(right.status()).isEqualTo(201);
    }

    @Test
    void withoutThePluginATrainerOnAProductIsStillEnforced() {
        StudioFixture studio = server.studio(true);
        String anna = studio.trainer("Anna");
        String other = studio.scheduler("Open Gym", 1);
        String product = studio.product(json("name", "PT Anna", "kind", "package", "credits", 2,
                "price", json("amount", "100.00"), "trainerId", anna));
        String member = studio.member("Noah");
        studio.purchase(member, product);

        Response refused = studio.book(member, other, studio.now().plus(Duration.ofDays(1)));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().at("/eligibility/lots/0/reasons/0").asText()).isEqualTo("wrong_trainer");
    }

    @Test
    void offboardingTransfersTheCreditsToAnotherTrainer() {
        Setup s = Setup.create();
        s.studio().book(s.member(), s.annasClass(), s.studio().now().plus(Duration.ofDays(3))).expect(201);
        String expiresAt = s.studio().credits(s.member()).at("/accounts/1/lots/0/expiresAt").asText();

        Response done = offboard(s, json("action", "transfer", "toTrainerId", s.ben())).expect(200);

        assertThat(done.number("/credits")).isEqualTo(9);
        assertThat(done.number("/lots")).isEqualTo(1);
        // The free 9 move to Ben; the credit the booking of Anna's class holds stays on her lot, to post there.
        JsonNode lots = s.studio().credits(s.member()).at("/accounts/1/lots");
        JsonNode lot = stream(lots).filter(l -> l.get("trainerId").asText().equals(s.ben())).findFirst().orElseThrow();
        assertThat(lot.get("remaining").intValue()).isEqualTo(9);
        assertThat(lot.get("held").intValue()).isZero();
        assertThat(lot.get("expiresAt").asText()).isEqualTo(expiresAt);
        JsonNode annas = stream(lots).filter(l -> l.get("trainerId").asText().equals(s.anna())).findFirst().orElseThrow();
        assertThat(annas.get("remaining").intValue()).isEqualTo(1);
        assertThat(annas.get("held").intValue()).isEqualTo(1);
        assertThat(s.studio().book(s.member(), s.bensClass(), s.studio().now().plus(Duration.ofDays(4))).status())
                .isEqualTo(201);
        // One action: the account's balance stays, its credits move from Anna's lot to a lot of Ben's.
        assertThat(s.studio().log(s.member())).extracting(e -> e.get("type").asText() + e.get("delta").asText())
                .contains("transferred0");
        assertThat(s.studio().log(s.member()).stream().filter(e -> e.get("type").asText().equals("transferred"))
                .findFirst().orElseThrow().get("lots")).extracting(l -> l.get("delta").asText())
                .containsExactly("-9", "+9");
        assertThat(s.studio().log(s.member()).stream().filter(e -> e.get("type").asText().equals("transferred")))
                .allSatisfy(e -> assertThat(e.get("description").asText())
                        .isEqualTo("Transferred from trainer Anna to Ben"));
        assertThat(offboard(s, json("action", "refund")).status()).as("once per trainer").isEqualTo(409);
        assertThat(s.studio().api().get("/v1/trainers/" + s.anna(), s.studio().owner()).body().get("active")
                .booleanValue()).isFalse();
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void offboardingExtendsTheValidity() {
        Setup s = Setup.create();
        Instant expiresAt = Instant.parse(s.studio().credits(s.member()).at("/accounts/1/lots/0/expiresAt").asText());

        offboard(s, json("action", "extend", "extendBy", "P1M")).expect(200);

        JsonNode lot = s.studio().credits(s.member()).at("/accounts/1/lots/0");
        assertThat(Instant.parse(lot.get("expiresAt").asText()))
                .isEqualTo(expiresAt.atZone(ZoneId.of("Europe/Berlin")).plusMonths(1).toInstant());
        assertThat(lot.get("trainerId").asText()).isEqualTo(s.anna());
        assertThat(lot.get("remaining").intValue()).isEqualTo(10);
    }

    @Test
    void offboardingRefundsTheCreditsAndFlagsThePurchase() {
        Setup s = Setup.create();

        Response done = offboard(s, json("action", "refund")).expect(200);

        assertThat(done.number("/credits")).isEqualTo(10);
        assertThat(s.studio().balance(s.member(), s.product())).isZero();
        JsonNode refund = s.studio().log(s.member()).get(0);
        assertThat(refund.get("type").asText()).isEqualTo("refunded");
        assertThat(refund.get("description").asText()).isEqualTo("Refunded: trainer Anna left");
        assertThat(s.studio().api().get("/v1/purchases/" + s.purchase(), s.studio().owner()).body()
                .get("refundDue").booleanValue()).isTrue();
    }

    @Test
    void creditsCannotGoToATrainerWhoLeftToo() {
        Setup s = Setup.create();
        String carl = s.studio().trainer("Carl");
        s.studio().api().post("/v1/trainers/" + carl + "/offboard", s.studio().owner(), json("action", "refund"))
                .expect(200);

        Response refused = offboard(s, json("action", "transfer", "toTrainerId", carl));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("/type")).endsWith("/trainer_inactive");
        assertThat(s.studio().balance(s.member(), s.product())).isEqualTo(10);
    }

    @Test
    void offboardingInputIsChecked() {
        Setup s = Setup.create();

        assertThat(offboard(s, json("action", "transfer")).text("/errors/0/field")).isEqualTo("toTrainerId");
        assertThat(offboard(s, json("action", "extend")).text("/errors/0/field")).isEqualTo("extendBy");
        assertThat(offboard(s, json("action", "retire")).text("/errors/0/field")).isEqualTo("action");
        assertThat(offboard(s, json("action", "transfer", "toTrainerId", "trn_nobody")).status()).isEqualTo(404);
        assertThat(s.studio().api().post("/v1/trainers/trn_nobody/offboard", s.studio().owner(),
                json("action", "refund")).status()).isEqualTo(404);
        assertThat(s.studio().api().post("/v1/trainers/" + s.anna() + "/offboard", s.studio().key("coach", null),
                json("action", "refund")).status()).isEqualTo(403);
        assertThat(s.studio().balance(s.member(), s.product())).isEqualTo(10);
    }

    @Test
    void anotherStudioCannotOffboardThisStudiosTrainer() {
        Setup s = Setup.create();
        StudioFixture other = server.studio(true);
        PluginServers.enable(other, "trainer-bound", null);

        assertThat(other.api().post("/v1/trainers/" + s.anna() + "/offboard", other.owner(),
                json("action", "refund")).status()).isEqualTo(404);
        assertThat(s.studio().balance(s.member(), s.product())).isEqualTo(10);
        assertThat(List.of(s.anna())).isNotEmpty();
    }

    private static Response offboard(Setup s, Object body) {
        return s.studio().api().post("/v1/trainers/" + s.anna() + "/offboard", s.studio().owner(), body);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
