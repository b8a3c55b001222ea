package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure between the writes of a transaction, or the database connection dying there, leaves no partial state:
 * the ledger is as before the request, and a retry with the same key applies it once.
 */
class CrashTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @AfterEach
    void clearFaults() {
        server.faults().clear();
    }

    /**
     * A member with two lots of 2 credits and a booking request of 3: it spans both lots. A test-mode studio books
     * alone; one on real time books through the batches.
     */
    record Setup(StudioFixture studio, String member, Object booking) {
        static Setup create(boolean testMode) {
            StudioFixture studio = server.studio(testMode);
            String member = studio.member("Mia");
            String scheduler = studio.scheduler("Workshop", 3);
            studio.grant(member, 2);
            studio.grant(member, 2);
            return new Setup(studio, member, json("memberId", member, "schedulerId", scheduler,
                    "startsAt", studio.now().plus(Duration.ofDays(2)).toString()));
        }

        Response bookWithFault(Runnable fault, String key) {
            fault.run();
            try {
                return studio.api().post("/v1/bookings", studio.owner(), booking, key);
            } finally {
                server.faults().clear();
            }
        }
    }

    @ParameterizedTest(name = "failure after {0}, test mode {1}")
    @CsvSource({"lots,true", "booking,true", "journal,true", "lots,false", "booking,false", "journal,false"})
    void aBookingThatFailsHalfwayWritesNothing(String step, boolean testMode) {
        Setup setup = Setup.create(testMode);
        Map<String, String> before = server.probe().fingerprint();

        Response failed = setup.bookWithFault(() -> server.faults().failAfter(step), "crash-" + step);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        assertRetryBooksOnce(setup, "crash-" + step);
    }

    @ParameterizedTest(name = "connection killed after {0}, test mode {1}")
    @CsvSource({"lots,true", "booking,true", "journal,true", "lots,false", "booking,false", "journal,false"})
    void aBookingWhoseConnectionDiesHalfwayWritesNothing(String step, boolean testMode) {
        Setup setup = Setup.create(testMode);
        Map<String, String> before = server.probe().fingerprint();

        Response failed = setup.bookWithFault(() -> server.faults().killConnectionAfter(step), "kill-" + step);

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).isNotNull();
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        assertRetryBooksOnce(setup, "kill-" + step);
    }

    @ParameterizedTest(name = "purchase failing after {0}")
    @ValueSource(strings = {"purchase", "lots", "journal"})
    void aPurchaseThatFailsHalfwayWritesNothing(String step) {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ava");
        String product = studio.pack("10 Pack", 10, "120.00");
        Map<String, String> before = server.probe().fingerprint();

        server.faults().failAfter(step);
        Response failed = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "none"));
        server.faults().clear();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    private static void assertRetryBooksOnce(Setup setup, String key) {
        StudioFixture studio = setup.studio();
        Response retried = studio.api().post("/v1/bookings", studio.owner(), setup.booking(), key).expect(201);
        assertThat(retried.body().get("allocations")).hasSize(2);
        assertThat(studio.api().post("/v1/bookings", studio.owner(), setup.booking(), key).body())
                .isEqualTo(retried.body());
        assertThat(studio.balance(setup.member(), "master")).isEqualTo(1);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }
}
