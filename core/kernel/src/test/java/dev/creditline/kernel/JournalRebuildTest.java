package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal is the truth: after a random sequence of every kind of operation, every lot's remaining and every
 * balance the API shows can be rebuilt from the journal alone. And the journal cannot be changed.
 */
class JournalRebuildTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void balancesRebuildFromTheJournalAfterRandomOperations(long seed) {
        Random random = new Random(seed);
        StudioFixture studio = server.studio(true);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(studio.member("Member " + i));
        }
        List<String> schedulers = List.of(studio.scheduler("Class", 1), studio.scheduler("Workshop", 3));
        List<String> products = List.of(studio.pack("5 Pack", 5, "60.00"),
                studio.product(json("name", "Intro", "kind", "package", "credits", 3, "price", json("amount", "0.00"),
                        "validity", "P10D", "validityStart", "first_use")));
        List<String> bookings = new ArrayList<>();
        List<String> purchases = new ArrayList<>();

        for (int step = 0; step < 70; step++) {
            String member = members.get(random.nextInt(members.size()));
            int op = random.nextInt(11);
            Response answer = switch (op) {
                case 0, 1 -> {
                    Response r = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                            json("productId", products.get(random.nextInt(2)), "payment", "none"));
                    if (r.status() == 201) {
                        purchases.add(r.text("/id"));
                    }
                    yield r;
                }
                case 2 -> studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                        json("account", "master", "mode", "add", "amount", 1 + random.nextInt(4), "reason", "grant",
                                "expiresAt", studio.now().plus(Duration.ofDays(1 + random.nextInt(8))).toString()));
                case 3 -> {
                    JsonNode credits = studio.credits(member);
                    int seen = credits.at("/accounts/0/balance").intValue();
                    yield studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                            json("account", "master", "mode", "set", "amount", random.nextInt(6),
                                    "expectedBalance", seen, "reason", "set"));
                }
                case 4, 5, 6 -> {
                    Response r = studio.book(member, schedulers.get(random.nextInt(2)),
                            studio.now().plus(Duration.ofHours(24 + random.nextInt(240))));
                    if (r.status() == 201) {
                        bookings.add(r.text("/id"));
                    }
                    yield r;
                }
                case 7, 10 -> bookings.isEmpty() ? null
                        : studio.cancel(bookings.get(random.nextInt(bookings.size())));
                case 8 -> purchases.isEmpty() || random.nextInt(3) > 0 ? null
                        : studio.api().post("/v1/purchases/" + purchases.get(random.nextInt(purchases.size()))
                                + "/void", studio.owner(), json("reason", "void"));
                default -> {
                    studio.clock(studio.now().plus(Duration.ofHours(1 + random.nextInt(120))));
                    yield null;
                }
            };
            if (answer != null) {
                assertThat(answer.status()).as("seed %d step %d: %s", seed, step, answer.raw()).isIn(200, 201, 409);
            }
        }

        assertThat(server.probe().journalMismatches()).as("seed %d", seed).isEmpty();
        assertThat(server.probe().bookingMismatches()).as("seed %d", seed).isEmpty();
        Instant now = studio.now();
        for (String member : members) {
            JsonNode view = studio.credits(member);
            for (JsonNode account : view.get("accounts")) {
                // The balance is what the entries left, less what bookings hold; the held credits rebuild too.
                String rebuild = """
                        SELECT coalesce(sum(%s), 0) FROM journal j JOIN lots l
                            ON l.studio_id = j.studio_id AND l.id = j.lot_id
                        WHERE l.studio_id = ? AND l.member_id = ? AND l.account = ?
                          AND (l.expires_at IS NULL OR l.expires_at > ?::timestamptz)""";
                long rebuilt = server.probe().number(rebuild.formatted("j.delta - j.held"),
                        studio.id(), member, account.get("account").asText(), now.toString());
                long held = server.probe().number(rebuild.formatted("j.held"),
                        studio.id(), member, account.get("account").asText(), now.toString());
                assertThat(account.get("balance").longValue()).as("seed %d %s %s", seed, member, account)
                        .isEqualTo(rebuilt);
                assertThat(account.get("held").longValue()).as("seed %d %s %s", seed, member, account)
                        .isEqualTo(held);
            }
        }
        assertThat(server.probe().rows("SELECT DISTINCT type FROM journal WHERE studio_id = ?", studio.id()))
                .as("seed %d exercised every kind of entry", seed)
                .contains("purchased", "granted", "set", "held", "released", "redeemed", "expired", "voided");
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateTheJournal() {
        StudioFixture studio = server.studio(true);
        studio.grant(studio.member("Mia"), 3);

        assertThat(server.probe().tryExecute("UPDATE journal SET delta = 100")).isEqualTo("23000");
        assertThat(server.probe().tryExecute("DELETE FROM journal")).isEqualTo("23000");
        assertThat(server.probe().tryExecute("TRUNCATE journal CASCADE")).isEqualTo("23000");
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND delta = 3",
                studio.id())).isEqualTo(1);
    }
}
