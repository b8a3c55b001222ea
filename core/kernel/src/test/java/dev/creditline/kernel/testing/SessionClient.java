package dev.creditline.kernel.testing;

import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API as a browser signed in with a session sees it, for tests: it keeps the {@code creditline_session} cookie the server sets (and drops
 * it when the server clears it) and sends it, with the session's CSRF token on writes when asked to.
 */
public final class SessionClient {
    private final ApiClient api;
    private String cookie;
    private String csrf;

    public SessionClient(ApiClient api) {
        this.api = api;
    }

    /** Sends a request with the cookie (and {@code X-CSRF-Token} when {@code withCsrf}); keeps a new cookie. */
    public Response send(String method, String path, Object body, boolean withCsrf) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (cookie != null) {
            headers.put("Cookie", "creditline_session=" + cookie);
        }
        if (withCsrf && csrf != null) {
            headers.put("X-CSRF-Token", csrf);
        }
        Response response = api.send(method, path, null, body, headers);
        String set = setCookie(response);
        if (set != null) {
            String value = set.substring("creditline_session=".length(), set.indexOf(';'));
            cookie = value.isEmpty() ? null : value;
        }
        if (response.text("/csrfToken") != null) {
            csrf = response.text("/csrfToken");
        }
        return response;
    }

    public Response get(String path) {
        return send("GET", path, null, false);
    }

    /** A write with the CSRF token, as the pages send it. */
    public Response post(String path, Object body) {
        return send("POST", path, body, true);
    }

    /** The {@code Set-Cookie} header of the session cookie, or null. */
    public static String setCookie(Response response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(v -> v.startsWith("creditline_session=")).findFirst().orElse(null);
    }

    public String cookie() {
        return cookie;
    }

    /** Uses another browser's cookie (a stolen or old one). */
    public SessionClient withCookie(String value) {
        this.cookie = value;
        return this;
    }

    public String csrf() {
        return csrf;
    }
}
