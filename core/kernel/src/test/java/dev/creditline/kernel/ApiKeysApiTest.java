package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys: listed without their secrets, revoked and rolled, on this server at once and on others within the TTL. */
class ApiKeysApiTest {
    /** Short, so that a test waits for the other node's memory to lapse in about a second. */
    private static final Duration TTL = Duration.ofSeconds(1);

    @RegisterExtension
    static TestServer server = new TestServer(8, config -> config.apiKeyCacheTtl(TTL));

    @Test
    void keysAreListedNewestFirstWithAPrefixAndLastUseButNeverTheSecret() throws Exception {
        StudioFixture studio = server.studio(false);
        Response coach = studio.api().post("/v1/api-keys", studio.owner(), json("role", "coach", "name", "Coach Kim"))
                .expect(201);
        String coachKey = coach.text("/key");
        assertThat(coach.text("/prefix")).isEqualTo(shown(coachKey) + "…").startsWith("clk_" + studio.id() + ".");
        StudioFixture other = server.studio(false);

        studio.api().get("/v1/members", coachKey).expect(200);
        JsonNode listed = await(() -> studio.api().get("/v1/api-keys", studio.owner()).expect(200).body(),
                page -> !page.get("items").get(0).get("lastUsedAt").isNull());

        JsonNode items = listed.get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("id").asText()).isEqualTo(coach.text("/id"));
        assertThat(items.get(0).get("name").asText()).isEqualTo("Coach Kim");
        assertThat(items.get(0).get("role").asText()).isEqualTo("coach");
        assertThat(items.get(1).get("role").asText()).isEqualTo("owner");
        assertThat(items.get(1).get("prefix").asText()).isEqualTo(shown(studio.owner()) + "…");
        assertThat(listed.toString()).doesNotContain(coachKey).doesNotContain(studio.owner())
                .doesNotContain(coachKey.substring(shown(coachKey).length(), shown(coachKey).length() + 12))
                .doesNotContain(shown(other.owner())).doesNotContain(other.id());
        assertThat(items.get(0).has("key")).isFalse();
        assertThat(items.get(0).has("keyHash")).isFalse();

        assertThat(studio.api().get("/v1/api-keys", coachKey).status()).isEqualTo(403);
        Response paged = studio.api().get("/v1/api-keys?limit=1", studio.owner()).expect(200);
        assertThat(paged.body().get("items")).hasSize(1);
        Response second = studio.api().get("/v1/api-keys?limit=1&cursor=" + paged.text("/next"), studio.owner())
                .expect(200);
        assertThat(second.body().get("items").get(0).get("role").asText()).isEqualTo("owner");
        assertThat(second.body().get("next").isNull()).isTrue();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceHereAndWithinTheTtlOnAnotherServer() throws Exception {
        ApiClient otherNode = server.startAnotherNode();
        StudioFixture studio = server.studio(false);
        Response coach = studio.api().post("/v1/api-keys", studio.owner(), json("role", "coach")).expect(201);
        String coachKey = coach.text("/key");
        // Both servers remember the key as good.
        studio.api().get("/v1/members", coachKey).expect(200);
        otherNode.get("/v1/members", coachKey).expect(200);

        Response revoked = studio.api().delete("/v1/api-keys/" + coach.text("/id"), studio.owner()).expect(200);

        assertThat(revoked.text("/revokedAt")).isNotNull();
        assertThat(studio.api().get("/v1/members", coachKey).status()).isEqualTo(401);
        awaitStatus(() -> otherNode.get("/v1/members", coachKey).status(), 401);
        // Revoking again answers the key as it is.
        assertThat(studio.api().delete("/v1/api-keys/" + coach.text("/id"), studio.owner()).expect(200)
                .text("/revokedAt")).isEqualTo(revoked.text("/revokedAt"));
        assertThat(server.studio(false).api().delete("/v1/api-keys/" + coach.text("/id"),
                server.studio(false).owner()).status()).isEqualTo(404);
    }

    @Test
    void aRolledKeyKeepsItsIdAndRoleAndTheOldSecretStopsWorkingEverywhere() throws Exception {
        ApiClient otherNode = server.startAnotherNode();
        StudioFixture studio = server.studio(false);
        Response coach = studio.api().post("/v1/api-keys", studio.owner(), json("role", "coach")).expect(201);
        String oldKey = coach.text("/key");
        studio.api().get("/v1/members", oldKey).expect(200);
        otherNode.get("/v1/members", oldKey).expect(200);

        Response rolled = studio.api().post("/v1/api-keys/" + coach.text("/id") + "/roll", studio.owner(), null)
                .expect(200);

        String newKey = rolled.text("/key");
        assertThat(newKey).isNotEqualTo(oldKey).startsWith("clk_");
        assertThat(rolled.text("/id")).isEqualTo(coach.text("/id"));
        assertThat(rolled.text("/role")).isEqualTo("coach");
        assertThat(rolled.text("/prefix")).isEqualTo(shown(newKey) + "…");
        assertThat(studio.api().get("/v1/members", oldKey).status()).isEqualTo(401);
        awaitStatus(() -> otherNode.get("/v1/members", oldKey).status(), 401);
        studio.api().get("/v1/members", newKey).expect(200);
        otherNode.get("/v1/members", newKey).expect(200);
        // The coach's actions still carry the key's name.
        assertThat(studio.api().post("/v1/api-keys", newKey, json("role", "coach")).status()).isEqualTo(403);
    }

    @Test
    void theLastOwnerKeyCannotBeRevokedEvenByTwoRevocationsAtOnce() throws Exception {
        StudioFixture studio = server.studio(false);
        String ownerKey = studio.owner();
        String ownerId = studio.api().get("/v1/api-keys", ownerKey).expect(200).text("/items/0/id");

        Response last = studio.api().delete("/v1/api-keys/" + ownerId, ownerKey);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.text("/type")).endsWith("last_owner_key");

        for (int round = 0; round < 5; round++) {
            Response second = studio.api().post("/v1/api-keys", ownerKey, json("role", "owner")).expect(201);
            String[] keys = {ownerKey, second.text("/key")};
            String[] ids = {ownerId, second.text("/id")};
            assertThat(liveOwnerKeys(studio, ownerKey)).hasSize(2);

            // Each owner revokes the other at the same moment: one of them must lose.
            List<Integer> statuses = Concurrently.run(2, i -> () ->
                    studio.api().delete("/v1/api-keys/" + ids[1 - i], keys[i]).status());

            assertThat(statuses).containsOnlyOnce(200);
            assertThat(statuses).allMatch(status -> status == 200 || status == 409 || status == 401);
            int survivor = statuses.get(0) == 200 ? 0 : 1;
            assertThat(liveOwnerKeys(studio, keys[survivor])).containsExactly(ids[survivor]);
            ownerKey = keys[survivor];
            ownerId = ids[survivor];
        }
    }

    @Test
    void theLastOwnerKeyCannotRollItselfButAnotherOwnerKeyMayRollIt() {
        StudioFixture studio = server.studio(false);
        String ownerKey = studio.owner();
        String ownerId = studio.api().get("/v1/api-keys", ownerKey).expect(200).text("/items/0/id");

        Response itself = studio.api().post("/v1/api-keys/" + ownerId + "/roll", ownerKey, null);
        assertThat(itself.status()).isEqualTo(409);
        assertThat(itself.text("/type")).endsWith("last_owner_key");
        assertThat(studio.api().get("/v1/studio", ownerKey).status()).as("the key still works").isEqualTo(200);

        String second = studio.api().post("/v1/api-keys", ownerKey, json("role", "owner")).expect(201).text("/key");
        String rolled = studio.api().post("/v1/api-keys/" + ownerId + "/roll", second, null).expect(200).text("/key");
        assertThat(studio.api().get("/v1/studio", rolled).status()).isEqualTo(200);
    }

    private static List<String> liveOwnerKeys(StudioFixture studio, String key) {
        List<String> live = new ArrayList<>();
        for (JsonNode k : studio.api().get("/v1/api-keys?limit=500", key).expect(200).body().get("items")) {
            if (k.get("role").asText().equals("owner") && k.get("revokedAt").isNull()) {
                live.add(k.get("id").asText());
            }
        }
        return live;
    }

    private static void awaitStatus(Supplier<Integer> status, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TTL.multipliedBy(5).toNanos();
        int last = status.get();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = status.get();
        }
        assertThat(last).as("status within the TTL").isEqualTo(expected);
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T last = read.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = read.get();
        }
        assertThat(done.test(last)).as("reached in time: " + last).isTrue();
        return last;
    }

    /** What a key's listing shows of it: the part naming its studio and four characters of its secret. */
    private static String shown(String key) {
        return key.substring(0, key.lastIndexOf('.') + 5);
    }

    /**
     * A key made before keys named their studio ({@code clk_<secret>}) still works, found in whichever studio holds
     * it; rolled, it names its studio.
     */
    @Test
    void aKeyFromBeforeKeysNamedTheirStudioStillWorksUntilRolled() throws Exception {
        StudioFixture studio = server.studio(false);
        String legacy = "clk_" + "L".repeat(43);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(legacy.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(server.probe().tryExecute("INSERT INTO api_keys (studio_id, id, key_hash, key_prefix, role, name)"
                + " VALUES ('" + studio.id() + "', 'key_legacy', '\\x" + hash + "', 'clk_LLLL', 'coach', 'Old')"))
                .isNull();

        assertThat(studio.api().get("/v1/members", legacy).status()).isEqualTo(200);
        Response rolled = studio.api().post("/v1/api-keys/key_legacy/roll", studio.owner(), null).expect(200);
        assertThat(rolled.text("/key")).startsWith("clk_" + studio.id() + ".");
        assertThat(studio.api().get("/v1/members", rolled.text("/key")).status()).isEqualTo(200);
        assertThat(studio.api().get("/v1/members", legacy).status()).isEqualTo(401);
    }
}
