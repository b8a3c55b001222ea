package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrent requests on one member's credits serialise: no overdraw, no double deduction, no lost update. */
class ConcurrencyTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void fiftyConcurrentBookingsOfFiveCreditsBookExactlyFive() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String scheduler = studio.scheduler("Rising Stars Class", 1);
        studio.grant(member, 5);

        List<Response> answers = concurrently(50, i -> () ->
                studio.book(member, scheduler, studio.now().plus(Duration.ofDays(2))));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(5);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(45)
                .allSatisfy(r -> assertThat(r.text("/type")).endsWith("/not_enough_credits"));
        assertThat(studio.balance(member, "master")).isZero();
        assertThat(server.probe().number("SELECT count(*) FROM bookings WHERE studio_id = ?", studio.id()))
                .isEqualTo(5);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void concurrentSetsAndBookingsNeverLoseAnUpdate() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Noah");
        String scheduler = studio.scheduler("Open Gym", 1);
        studio.grant(member, 20);

        List<Response> answers = concurrently(40, i -> () -> {
            if (i % 2 == 0) {
                return studio.book(member, scheduler, studio.now().plus(Duration.ofDays(1)));
            }
            // A coach sets the total from the balance just read: it either applies to that balance or is refused.
            int seen = studio.balance(member, "master");
            return studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                    json("account", "master", "mode", "set", "amount", seen + 3, "expectedBalance", seen,
                            "reason", "top up"));
        });

        long booked = answers.stream().filter(r -> r.status() == 201).count();
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isIn(200, 201, 409));
        assertThat(answers).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> assertThat(r.text("/type")).matches(".*/(balance_changed|not_enough_credits)"));

        // Replaying the account's journal in order, each entry starts from the balance the previous one left.
        List<JsonNode> log = new ArrayList<>(studio.log(member));
        java.util.Collections.reverse(log);
        int balance = 0;
        int redeemed = 0;
        for (JsonNode entry : log) {
            balance += Integer.parseInt(entry.get("delta").asText().replace("+", ""));
            assertThat(entry.get("balanceAfter").intValue()).as("balance after %s", entry).isEqualTo(balance);
            // A booking a day ahead holds its credit (its window is still open): one line each.
            if (entry.get("type").asText().equals("held")) {
                redeemed++;
            }
        }
        assertThat(redeemed).isEqualTo(booked);
        assertThat(studio.balance(member, "master")).isEqualTo(balance);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    /** Runs n calls at once (released together) and returns their answers in call order. */
    static List<Response> concurrently(int n, java.util.function.IntFunction<Callable<Response>> call)
            throws Exception {
        return Concurrently.run(n, call);
    }
}
