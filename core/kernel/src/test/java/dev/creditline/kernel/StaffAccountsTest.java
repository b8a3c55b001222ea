package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.SessionClient;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staff accounts: invited by the owner, a password set through the invitation's link, sign-in, writes that need the
 * session's CSRF token, sign-out everywhere, disabling, and wrong passwords throttled without telling who exists.
 */
class StaffAccountsTest {
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static TestServer server = new TestServer();

    /** Invites by link (no notifier in the kernel's tests) and answers the token. */
    static String invite(StudioFixture studio, String email, String role, String name) {
        Response invited = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", email, "role", role, "name", name, "deliver", "link")).expect(201);
        String url = invited.text("/invitation/acceptUrl");
        assertThat(url).startsWith(studio.api().base().toString().replace("127.0.0.1", "localhost")
                + "/dashboard/#/accept/cli_" + studio.id() + ".");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    static SessionClient coach(StudioFixture studio, String email) {
        String token = invite(studio, email, "coach", "Anna");
        SessionClient browser = new SessionClient(studio.api());
        browser.post("/v1/auth/accept-invitation", json("token", token, "password", PASSWORD)).expect(200);
        return browser;
    }

    @Test
    void anInvitedCoachSetsAPasswordSignsInWritesWithTheCsrfTokenAndSignsOutEverywhere() {
        StudioFixture studio = server.studio(false);
        Response refused = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", "anna@example.com", "role", "coach", "name", "Anna"));
        assertThat(refused.status()).as("nobody could be told").isEqualTo(409);
        assertThat(refused.text("/type")).endsWith("/no_notifier");
        String token = invite(studio, "anna@example.com", "coach", "Anna");

        JsonNode listed = studio.api().get("/v1/staff-accounts", studio.owner()).expect(200).body();
        assertThat(listed.get("items")).hasSize(1);
        assertThat(listed.get("items").get(0).get("status").asText()).isEqualTo("invited");
        assertThat(listed.get("items").get(0).get("email").asText()).isEqualTo("anna@example.com");

        SessionClient browser = new SessionClient(studio.api());
        Response tooShort = browser.post("/v1/auth/accept-invitation", json("token", token, "password", "short"));
        assertThat(tooShort.status()).isEqualTo(422);
        assertThat(tooShort.text("/errors/0/field")).isEqualTo("password");
        Response accepted = browser.post("/v1/auth/accept-invitation", json("token", token, "password", PASSWORD))
                .expect(200);
        assertThat(accepted.text("/role")).isEqualTo("coach");
        assertThat(accepted.text("/name")).isEqualTo("Anna");
        assertThat(accepted.text("/studio/id")).isEqualTo(studio.id());
        assertThat(accepted.text("/csrfToken")).isNotBlank();
        assertThat(accepted.text("/expiresAt")).isNotBlank();
        String cookie = SessionClient.setCookie(accepted);
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/").doesNotContain("Secure");
        assertThat(cookie).startsWith("creditline_session=cls_" + studio.id() + ".");
        Response again = new SessionClient(studio.api()).post("/v1/auth/accept-invitation",
                json("token", token, "password", "another long password"));
        assertThat(again.status()).as("one use").isEqualTo(422);
        assertThat(again.text("/errors/0/field")).isEqualTo("token");
        JsonNode active = studio.api().get("/v1/staff-accounts", studio.owner()).expect(200).body().get("items").get(0);
        assertThat(active.get("status").asText()).isEqualTo("active");
        assertThat(active.toString()).doesNotContain("argon2").doesNotContain("password");

        SessionClient laptop = new SessionClient(studio.api());
        laptop.post("/v1/auth/sign-in", json("studioId", studio.id(), "email", "ANNA@example.com", "password", PASSWORD))
                .expect(200);
        assertThat(laptop.get("/v1/auth/session").expect(200).text("/role")).isEqualTo("coach");
        String member = studio.member("Mia");
        assertThat(laptop.get("/v1/members/" + member).status()).isEqualTo(200);
        Response noCsrf = laptop.send("POST", "/v1/members", json("name", "Ben"), false);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.text("/type")).endsWith("/csrf");
        Response wrongCsrf = studio.api().send("POST", "/v1/members", null, json("name", "Ben"), java.util.Map.of(
                "Cookie", "creditline_session=" + laptop.cookie(), "X-CSRF-Token", browser.csrf()));
        assertThat(wrongCsrf.status()).as("another session's token").isEqualTo(403);
        laptop.post("/v1/members", json("name", "Ben")).expect(201);
        laptop.post("/v1/members/" + member + "/credits/adjust", json("account", "master", "mode", "add",
                "amount", 3, "reason", "welcome")).expect(200);
        JsonNode journal = studio.api().get("/v1/members/" + member + "/journal", studio.owner()).expect(200).body();
        assertThat(journal.toString()).contains("Anna (coach)");
        assertThat(laptop.get("/v1/staff-accounts").status()).as("coaches do not manage accounts").isEqualTo(403);
        assertThat(studio.api().get("/v1/members", null).status()).isEqualTo(401);

        String phone = browser.cookie();
        Response out = laptop.send("POST", "/v1/auth/sign-out-everywhere", null, false);
        assertThat(out.status()).as("signing out is a write: CSRF").isEqualTo(403);
        laptop.post("/v1/auth/sign-out-everywhere", null).expect(204);
        assertThat(new SessionClient(studio.api()).withCookie(phone).get("/v1/members").status()).isEqualTo(401);
        assertThat(new SessionClient(studio.api()).withCookie(phone).get("/v1/auth/session").status()).isEqualTo(401);
        assertThat(laptop.get("/v1/auth/session").status()).isEqualTo(401);
    }

    @Test
    void signOutEndsOnlyThisSessionAndAKeyIsUnaffectedByCookies() {
        StudioFixture studio = server.studio(false);
        SessionClient phone = coach(studio, "kim@example.com");
        SessionClient laptop = new SessionClient(studio.api());
        laptop.post("/v1/auth/sign-in", json("studioId", studio.id(), "email", "kim@example.com", "password", PASSWORD))
                .expect(200);
        String old = laptop.cookie();
        Response out = laptop.post("/v1/auth/sign-out", null).expect(204);
        assertThat(SessionClient.setCookie(out)).contains("Max-Age=0");
        assertThat(new SessionClient(studio.api()).withCookie(old).get("/v1/members").status()).isEqualTo(401);
        assertThat(phone.get("/v1/members").status()).isEqualTo(200);
        // A Bearer key wins over a cookie, and its writes need no CSRF token.
        Response keyed = studio.api().send("POST", "/v1/members", studio.owner(), json("name", "Lea"),
                java.util.Map.of("Cookie", "creditline_session=" + old));
        assertThat(keyed.status()).isEqualTo(201);
        assertThat(studio.api().get("/v1/auth/session", studio.owner()).status()).as("a key has no session")
                .isEqualTo(401);
    }

    @Test
    void anOwnerDisablesACoachWhoseSessionsEndAtOnceAndTheLastWayInForAnOwnerStays() {
        StudioFixture studio = server.studio(false);
        SessionClient coach = coach(studio, "tom@example.com");
        String coachId = studio.api().get("/v1/staff-accounts", studio.owner()).body().get("items").get(0)
                .get("id").asText();
        String ownerToken = invite(studio, "olga@example.com", "owner", "Olga");
        SessionClient owner = new SessionClient(studio.api());
        owner.post("/v1/auth/accept-invitation", json("token", ownerToken, "password", PASSWORD)).expect(200);

        JsonNode disabled = owner.post("/v1/staff-accounts/" + coachId + "/disable", null).expect(200).body();
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(coach.get("/v1/members").status()).as("at once").isEqualTo(401);
        Response signIn = new SessionClient(studio.api()).post("/v1/auth/sign-in",
                json("studioId", studio.id(), "email", "tom@example.com", "password", PASSWORD));
        assertThat(signIn.status()).isEqualTo(401);
        assertThat(studio.api().post("/v1/staff-accounts/stf_nope/disable", studio.owner(), null).status())
                .isEqualTo(404);

        String ownerId = studio.api().get("/v1/staff-accounts", studio.owner()).body().get("items").get(0)
                .get("id").asText();
        // With no owner API key left, Olga's account is the studio's only way in for an owner.
        server.probe().tryExecute("UPDATE api_keys SET revoked_at = now() WHERE studio_id = '" + studio.id() + "'");
        Response last = owner.post("/v1/staff-accounts/" + ownerId + "/disable", null);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.text("/type")).endsWith("/last_owner");
        assertThat(owner.get("/v1/studio").status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsAreThrottledTheRightOneIncludedAndUnknownAddressesAnswerTheSame() {
        StudioFixture studio = server.studio(false);
        coach(studio, "lia@example.com");
        SessionClient browser = new SessionClient(studio.api());
        for (int i = 0; i < 5; i++) {
            Response wrong = browser.post("/v1/auth/sign-in",
                    json("studioId", studio.id(), "email", "lia@example.com", "password", "wrong password " + i));
            Response unknown = browser.post("/v1/auth/sign-in",
                    json("studioId", studio.id(), "email", "nobody@example.com", "password", "wrong password " + i));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            // Alike but for the id of each request.
            com.fasterxml.jackson.databind.JsonNode unknownBody = unknown.body().deepCopy();
            com.fasterxml.jackson.databind.JsonNode wrongBody = wrong.body().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) unknownBody).remove("requestId");
            ((com.fasterxml.jackson.databind.node.ObjectNode) wrongBody).remove("requestId");
            assertThat(unknownBody).as("no probing").isEqualTo(wrongBody);
        }
        Response locked = browser.post("/v1/auth/sign-in",
                json("studioId", studio.id(), "email", "lia@example.com", "password", PASSWORD));
        assertThat(locked.status()).as("the right password, while locked").isEqualTo(429);
        assertThat(locked.header("Retry-After")).isEqualTo("60");
        Response lockedUnknown = browser.post("/v1/auth/sign-in",
                json("studioId", studio.id(), "email", "nobody@example.com", "password", PASSWORD));
        assertThat(lockedUnknown.status()).isEqualTo(429);
        assertThat(lockedUnknown.text("/detail")).isEqualTo(locked.text("/detail"));

        server.clock().advance(Duration.ofSeconds(61));
        browser.post("/v1/auth/sign-in", json("studioId", studio.id(), "email", "lia@example.com", "password",
                PASSWORD)).expect(200);
    }

    @Test
    void invitationsExpireAfterSevenDaysAndAreForStaffOnly() {
        StudioFixture studio = server.studio(false);
        String token = invite(studio, "max@example.com", "coach", null);
        Response athlete = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", "x@example.com", "role", "athlete", "deliver", "link"));
        assertThat(athlete.status()).isEqualTo(422);
        assertThat(athlete.text("/errors/0/field")).isEqualTo("role");
        Response badEmail = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", "not-an-address", "role", "coach", "deliver", "link"));
        assertThat(badEmail.text("/errors/0/field")).isEqualTo("email");
        String coachKey = studio.key("coach", null);
        assertThat(studio.api().post("/v1/staff-invitations", coachKey,
                json("email", "y@example.com", "role", "coach", "deliver", "link")).status()).isEqualTo(403);

        server.clock().advance(Duration.ofDays(7).plusSeconds(1));
        Response expired = new SessionClient(studio.api()).post("/v1/auth/accept-invitation",
                json("token", token, "password", PASSWORD));
        assertThat(expired.status()).isEqualTo(422);
        assertThat(expired.text("/errors/0/field")).isEqualTo("token");
        // Invited again: a new link, the account the same.
        String fresh = invite(studio, "max@example.com", "coach", "Max");
        new SessionClient(studio.api()).post("/v1/auth/accept-invitation", json("token", fresh, "password", PASSWORD))
                .expect(200);
        Response twice = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", "MAX@example.com", "role", "owner", "deliver", "link"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.text("/type")).endsWith("/account_exists");
    }
}
