package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.SessionClient;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions end after 12 idle hours and 7 days at most (staff); sign-in links answer alike whoever asks. */
class SessionsTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static SessionClient signedIn(StudioFixture studio, String email) {
        return StaffAccountsTest.coach(studio, email);
    }

    @Test
    void aStaffSessionEndsAfterTwelveIdleHoursAndSevenDaysAtMost() throws Exception {
        StudioFixture studio = server.studio(false);
        SessionClient idle = signedIn(studio, "ida@example.com");
        SessionClient busy = new SessionClient(studio.api());
        busy.post("/v1/auth/sign-in", json("studioId", studio.id(), "email", "ida@example.com",
                "password", "correct horse battery")).expect(200);
        Instant signedInAt = server.clock().instant();
        Instant until = Instant.parse(busy.get("/v1/auth/session").expect(200).text("/expiresAt"));
        assertThat(until).isEqualTo(signedInAt.plus(Duration.ofHours(12)));

        // 15 * 11 h = 165 h: still within the absolute week of 168 h.
        for (int i = 1; i <= 15; i++) {
            server.clock().advance(Duration.ofHours(11));
            assertThat(busy.get("/v1/members").status()).as("used every 11 hours, hour " + i * 11).isEqualTo(200);
            Thread.sleep(50); // the use is recorded in the background
            if (i == 2) {
                assertThat(idle.get("/v1/members").status()).as("idle for 22 hours").isEqualTo(401);
            }
        }
        server.clock().advance(Duration.ofHours(11));
        assertThat(busy.get("/v1/members").status()).as("past the absolute week").isEqualTo(401);
    }

    @Test
    void aSignInLinkIsAnsweredAlikeForMembersStrangersAndUnknownStudiosAndThrottled() {
        StudioFixture studio = server.studio(false);
        studio.api().post("/v1/members", studio.owner(), json("name", "Mia", "email", "mia@example.com"))
                .expect(201);
        SessionClient browser = new SessionClient(studio.api());
        Response member = browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email",
                "mia@example.com"));
        Response stranger = browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email",
                "who@example.com"));
        Response nowhere = browser.post("/v1/auth/sign-in-link", json("studioId", "std_nope", "email",
                "mia@example.com"));
        assertThat(member.status()).isEqualTo(202);
        assertThat(stranger.raw()).isEqualTo(member.raw());
        assertThat(nowhere.raw()).isEqualTo(member.raw());
        assertThat(SessionClient.setCookie(member)).isNull();

        browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email", "mia@example.com"))
                .expect(202);
        browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email", "mia@example.com"))
                .expect(202);
        Response throttled = browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email",
                "mia@example.com"));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotNull();

        Response forged = browser.post("/v1/auth/redeem-link", json("token", "csl_" + studio.id() + ".forged"));
        assertThat(forged.status()).isEqualTo(422);
        assertThat(forged.text("/errors/0/field")).isEqualTo("token");
        assertThat(browser.post("/v1/auth/redeem-link", json("token", "nonsense")).status()).isEqualTo(422);
    }

    @Test
    void aStrangeCookieIsNobody() {
        StudioFixture studio = server.studio(false);
        for (String cookie : new String[] {"cls_" + studio.id() + ".guess", "cls_", "junk", "cls_.x"}) {
            assertThat(new SessionClient(studio.api()).withCookie(cookie).get("/v1/members").status()).isEqualTo(401);
        }
    }
}
