package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys, roles and the answers 401 and 403, as API.md's conventions say. */
class AccessTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void studiosAreCreatedWithTheAdminTokenOnly() {
        Response none = server.api().post("/admin/studios", null, json("name", "X", "timezone", "UTC",
                "currency", "EUR"));
        Response wrong = server.api().post("/admin/studios", "not-the-admin-token", json("name", "X",
                "timezone", "UTC", "currency", "EUR"));
        StudioFixture studio = server.studio(false);
        Response ownerKeyAsAdmin = server.api().post("/admin/studios", studio.owner(), json("name", "X",
                "timezone", "UTC", "currency", "EUR"));

        assertThat(List.of(none, wrong, ownerKeyAsAdmin)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        });
    }

    @Test
    void aMissingOrUnknownKeyIs401() {
        assertThat(server.api().get("/v1/clock", null).status()).isEqualTo(401);
        assertThat(server.api().get("/v1/clock", "clk_unknown").status()).isEqualTo(401);
        assertThat(server.api().send("GET", "/v1/clock", null, null,
                java.util.Map.of("Authorization", "Basic abc")).status()).isEqualTo(401);
    }

    /** Requests answered 401, and whether they sent a bearer token. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> unauthorized() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("GET", "/v1/clock", java.util.Map.of(), false),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/v1/clock",
                        java.util.Map.of("Authorization", "Bearer clk_unknown"), true),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/v1/members",
                        java.util.Map.of("Authorization", "Basic abc"), false),
                org.junit.jupiter.params.provider.Arguments.of("POST", "/v1/members",
                        java.util.Map.of("Authorization", "Bearer " + "x".repeat(300)), true),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/v1/members",
                        java.util.Map.of("Cookie", "creditline_session=cls_x.unknown"), false),
                org.junit.jupiter.params.provider.Arguments.of("GET", "/v1/auth/session", java.util.Map.of(), false),
                org.junit.jupiter.params.provider.Arguments.of("POST", "/admin/studios", java.util.Map.of(), false),
                org.junit.jupiter.params.provider.Arguments.of("POST", "/admin/studios",
                        java.util.Map.of("Authorization", "Bearer not-the-admin-token"), true));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} {2}")
    @org.junit.jupiter.params.provider.MethodSource("unauthorized")
    void every401ChallengesForABearerToken(String method, String path, java.util.Map<String, String> headers,
                                           boolean tokenSent) {
        Response answer = server.api().send(method, path, null, method.equals("POST") ? "{}" : null, headers);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"creditline\""
                + (tokenSent ? ", error=\"invalid_token\"" : ""));
    }

    @Test
    void keysAreStoredHashedNeverInTheClear() {
        StudioFixture studio = server.studio(false);
        String coach = studio.key("coach", null);

        assertThat(server.probe().number("SELECT count(*) FROM api_keys WHERE studio_id = ?", studio.id()))
                .isEqualTo(2);
        String dump = String.join("|", server.probe().rows("SELECT t::text FROM api_keys t"));
        assertThat(dump).doesNotContain(studio.owner()).doesNotContain(coach);
    }

    @Test
    void coachesManageMembersAndCreditsButNotKeysCatalogueOrClock() {
        StudioFixture studio = server.studio(true);
        String coach = studio.key("coach", null);

        Response member = server.api().post("/v1/members", coach, json("name", "Mia")).expect(201);
        server.api().post("/v1/members/" + member.text("/id") + "/credits/adjust", coach,
                json("account", "master", "mode", "add", "amount", 1, "reason", "trial")).expect(200);
        assertThat(server.api().post("/v1/api-keys", coach, json("role", "coach")).status()).isEqualTo(403);
        assertThat(server.api().post("/v1/products", coach, json("name", "P")).status()).isEqualTo(403);
        assertThat(server.api().post("/v1/schedulers", coach, json("name", "S")).status()).isEqualTo(403);
        assertThat(server.api().post("/v1/clock", coach, json("now", "2030-01-01T00:00:00Z")).status())
                .isEqualTo(403);
    }

    @Test
    void athleteKeysSeeOnlyTheirOwnCreditsThroughMe() {
        StudioFixture studio = server.studio(true);
        String mia = studio.member("Mia");
        String noah = studio.member("Noah");
        studio.grant(mia, 4);
        studio.grant(noah, 9);
        String athlete = studio.key("athlete", mia);

        assertThat(server.api().get("/v1/me", athlete).expect(200).text("/id")).isEqualTo(mia);
        assertThat(server.api().get("/v1/me/credits", athlete).expect(200).number("/total")).isEqualTo(4);
        assertThat(server.api().get("/v1/me/credit-logs", athlete).expect(200).body().get("items")).hasSize(1);
        Response forbidden = server.api().get("/v1/members/" + noah + "/credits", athlete);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(server.api().get("/v1/members/" + mia + "/credits", athlete).status()).isEqualTo(403);
        assertThat(server.api().post("/v1/bookings", athlete, json("memberId", mia)).status()).isEqualTo(403);
        assertThat(server.api().get("/v1/me", studio.owner()).status()).isEqualTo(403);
    }

    @Test
    void anAthleteKeyNeedsAMemberOfItsStudio() {
        StudioFixture studio = server.studio(false);
        StudioFixture other = server.studio(false);
        String stranger = other.member("Stranger");

        Response missing = server.api().post("/v1/api-keys", studio.owner(), json("role", "athlete"));
        Response foreign = server.api().post("/v1/api-keys", studio.owner(),
                json("role", "athlete", "memberId", stranger));

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.text("/errors/0/field")).isEqualTo("memberId");
        assertThat(foreign.status()).isEqualTo(404);
    }

    @Test
    void unknownEndpointsAndMethodsAnswerProblemJson() {
        StudioFixture studio = server.studio(false);
        Response unknown = server.api().get("/v1/nothing-here", studio.owner());
        Response method = server.api().send("PUT", "/v1/clock", studio.owner(), "{}", java.util.Map.of());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(method.status()).isIn(404, 405);
        assertThat(method.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void healthChecksTheDatabase() {
        Response health = server.api().get("/health", null).expect(200);
        assertThat(health.text("/status")).isEqualTo("up");
        assertThat(health.body().has("database")).as("the details are the management listener's").isFalse();
        assertThat(server.management().get("/health", null).expect(200).text("/database")).isEqualTo("up");
    }
}
