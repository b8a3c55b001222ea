package dev.creditline.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** An asynchronous client of the Creditline API, with keep-alive connections: a benchmark's requests. */
final class Api implements AutoCloseable {

    /** A response: status and body. */
    record Answer(int status, JsonObject body) {
        Answer expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final URI base;

    Api(URI base, int connections) {
        this.base = base;
        this.vertx = Vertx.vertx();
        this.context = vertx.getOrCreateContext();
        // Idle connections go well before the server's idle timeout (60 s as shipped): at the same 60 s, a connection
        // idle between two runs was reused as the server closed it, and its request failed.
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setKeepAliveTimeout(20), new PoolOptions().setHttp1MaxSize(connections));
    }

    Future<Answer> send(HttpMethod method, String path, String key, JsonObject body, String idempotencyKey) {
        if (Vertx.currentContext() == null) {
            // Called from a thread of its own (set-up, polling): the request goes out from the event loop. Otherwise
            // its response's body handler may be set after the body has arrived, and the body is lost: a 200 with
            // Content-Length 477 read as empty (bench/run --grants failed on an automation run's status so).
            Promise<Answer> answer = Promise.promise();
            context.runOnContext(v -> send(method, path, key, body, idempotencyKey).onComplete(answer));
            return answer.future();
        }
        RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost())
                .setPort(base.getPort()).setURI(path);
        if (key != null) {
            options.putHeader("Authorization", "Bearer " + key);
        }
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            options.putHeader("Idempotency-Key", idempotencyKey);
        }
        // The body is asked for in the response's own callback (Vert.x's non-racy form, eclipse-vertx/vert.x#4705).
        return http.request(options).compose(request -> (body == null ? request.send()
                : request.send(Buffer.buffer(body.encode())))
                .compose(response -> response.body().map(payload -> new Answer(response.statusCode(),
                        payload.length() == 0 ? empty(response.statusCode(), response.headers()) : parse(payload)))));
    }

    /** An answer without a body; one that should have had a body shows its headers, to tell where it came from. */
    private static JsonObject empty(int status, io.vertx.core.MultiMap headers) {
        if (status == 204) {
            return new JsonObject();
        }
        JsonObject shown = new JsonObject();
        headers.forEach(header -> shown.put(header.getKey(), header.getValue()));
        return new JsonObject().put("emptyBodyHeaders", shown);
    }

    private static JsonObject parse(Buffer payload) {
        try {
            return payload.toJsonObject();
        } catch (RuntimeException e) {
            return new JsonObject().put("raw", payload.toString());
        }
    }

    /** The same, waiting for the answer (set-up only). */
    Answer call(HttpMethod method, String path, String key, JsonObject body) {
        try {
            return send(method, path, key, body, null).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Waits for every future (set-up only) and answers their results in order. */
    static <T> java.util.List<T> await(java.util.List<Future<T>> futures) {
        java.util.List<T> results = new java.util.ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("set-up failed", e);
            }
        }
        return results;
    }

    /**
     * Starts {@code count} set-up calls, {@code atOnce} in flight at a time (a wave waits for the one before), and
     * answers their results in order.
     */
    static <T> java.util.List<T> inWaves(int count, int atOnce, java.util.function.IntFunction<Future<T>> start) {
        java.util.List<T> results = new java.util.ArrayList<>();
        java.util.List<Future<T>> wave = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            wave.add(start.apply(i));
            if (wave.size() == atOnce || i == count - 1) {
                results.addAll(await(wave));
                wave.clear();
            }
        }
        return results;
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
    }
}
