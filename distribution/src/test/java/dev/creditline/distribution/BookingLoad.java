package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Booking load for fault tests: threads that book (75%) and cancel their own bookings (25%) for random athletes,
 * every request with its own Idempotency-Key, spread over one or more servers. Every request and its answer (status
 * 0: no answer, the connection failed) is kept, so a test can check each against the ledger afterwards.
 */
final class BookingLoad {
    /** A request sent and what came back. */
    record Sent(String key, String path, ObjectNode body, int status, String bookingId, String contentType,
                String retryAfter) {
    }

    /** A studio of the load: its owner key, a one-credit class, and athletes holding credits. */
    record Gym(String owner, String scheduler, List<String> members) {
    }

    /** Creates a studio with a one-credit "Open Gym" and {@code athletes} athletes holding {@code credits} each. */
    static Gym gym(ApiClient api, String name, int athletes, int credits) {
        String owner = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN, json("name", name,
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201).text("/ownerKey");
        String scheduler = api.post("/v1/schedulers", owner, json("name", "Open Gym", "creditCost", 1,
                "paymentMode", "credits", "cancellationWindow", "PT1H")).expect(201).text("/id");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < athletes; i++) {
            String member = api.post("/v1/members", owner, json("name", "Athlete " + i)).expect(201).text("/id");
            api.post("/v1/members/" + member + "/credits/adjust", owner, json("account", "master", "mode", "add",
                    "amount", credits, "reason", "season")).expect(200);
            members.add(member);
        }
        return new Gym(owner, scheduler, members);
    }

    private final List<ApiClient> servers;
    private final String owner;
    private final List<String> members;
    private final String scheduler;
    private final Instant startsAt;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    BookingLoad(List<ApiClient> servers, String owner, List<String> members, String scheduler, Instant startsAt) {
        this.servers = servers;
        this.owner = owner;
        this.members = members;
        this.scheduler = scheduler;
        this.startsAt = startsAt;
    }

    /** Starts the given number of client threads. */
    BookingLoad start(int clients) {
        running.set(true);
        for (int t = 0; t < clients; t++) {
            int client = t;
            Thread thread = new Thread(() -> loop(client), "booking-load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Stops the clients (each finishes its request in flight) and answers everything sent. */
    List<Sent> stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        return List.copyOf(sent);
    }

    /** What was sent so far. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    private void loop(int client) {
        Deque<String> mine = new ArrayDeque<>();
        for (int n = 0; running.get(); n++) {
            ApiClient server = servers.get((client + n) % servers.size());
            String key = "load-" + client + "-" + n;
            if (!mine.isEmpty() && ThreadLocalRandom.current().nextInt(4) == 0) {
                sent.add(send(server, key, "/v1/bookings/" + mine.poll() + "/cancel", null));
            } else {
                ObjectNode body = json("memberId", members.get(ThreadLocalRandom.current().nextInt(members.size())),
                        "schedulerId", scheduler, "startsAt", startsAt.toString());
                Sent booking = send(server, key, "/v1/bookings", body);
                sent.add(booking);
                if (booking.status() == 201) {
                    mine.add(booking.bookingId());
                }
            }
        }
    }

    /** Sends (or sends again) a request with its key. */
    Sent send(ApiClient server, String key, String path, ObjectNode body) {
        try {
            Response r = server.post(path, owner, body, key);
            return new Sent(key, path, body, r.status(), r.status() < 300 ? r.text("/id") : null,
                    r.header("Content-Type"), r.header("Retry-After"));
        } catch (RuntimeException e) {
            return new Sent(key, path, body, 0, null, null, null);
        }
    }
}
