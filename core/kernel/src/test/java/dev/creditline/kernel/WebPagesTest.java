package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's and portal's pages as files: public, with a content security policy, revalidated, 404 when unknown. */
class WebPagesTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void thePagesAreServedWithoutAKeyUnderAContentSecurityPolicy() {
        for (String page : new String[] {"/dashboard/", "/portal/"}) {
            Response index = server.api().get(page, null);
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.header("Content-Type")).startsWith("text/html");
            assertThat(index.raw()).contains("<script type=\"module\"");
            assertThat(index.header("Content-Security-Policy")).startsWith("default-src 'self'")
                    .contains("frame-ancestors 'none'");
            assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        Response script = server.api().get("/dashboard/shared/api.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).contains("javascript");
        assertThat(script.raw()).contains("Authorization");
        assertThat(server.api().get("/dashboard/shared/style.css", null).header("Content-Type")).startsWith("text/css");
    }

    @Test
    void anUnknownAssetIsNotFoundAndNothingElseIsServed() {
        assertThat(server.api().get("/dashboard/nothing-here.js", null).status()).isEqualTo(404);
        assertThat(server.api().get("/portal/../dashboard/../../openapi.yaml", null).status()).isIn(400, 404);
        assertThat(server.api().get("/dashboard/shared/", null).status()).isEqualTo(404);
        assertThat(server.api().post("/dashboard/", null, null).status()).isIn(404, 405);
    }

    @Test
    void aRevalidationWithTheSameFileIsNotModified() throws Exception {
        Response first = server.api().get("/dashboard/app.js", null).expect(200);
        String lastModified = first.header("Last-Modified");
        assertThat(lastModified).isNotNull();
        HttpResponse<Void> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.api().base().resolve("/dashboard/app.js")).header("If-Modified-Since", lastModified)
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void thePageNameWithoutItsSlashLeadsToThePage() throws Exception {
        HttpResponse<Void> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.api().base().resolve(URI.create("/dashboard"))).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("/dashboard/");
    }
}
