package dev.creditline.kernel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanesTest {

    /** A pipeline of the group with requests waiting: it starts one transaction per free lane it gets. */
    private static final class Waiting implements Lanes.Member {
        final String name;
        final Lanes lanes;
        final List<String> started;
        int queued;

        Waiting(String name, Lanes lanes, List<String> started) {
            this.name = name;
            this.lanes = lanes;
            this.started = started;
            lanes.join(this);
        }

        @Override
        public boolean resume() {
            boolean any = false;
            while (queued > 0 && lanes.take()) {
                queued--;
                started.add(name);
                any = true;
            }
            return any;
        }
    }

    @Test
    void pipelinesSharingLanesRunNoMoreTransactionsTogetherThanTheLanes() {
        Lanes lanes = new Lanes(2);
        List<String> started = new ArrayList<>();
        Waiting book = new Waiting("book", lanes, started);
        Waiting cancel = new Waiting("cancel", lanes, started);
        book.queued = 2;
        cancel.queued = 1;

        assertTrue(book.resume());
        assertFalse(cancel.resume(), "both lanes are the bookings'");
        assertEquals(List.of("book", "book"), started);

        lanes.release();
        assertEquals(List.of("book", "book", "cancel"), started, "the freed lane went to the waiting cancellation");
    }

    @Test
    void aFreedLaneGoesToThePipelinesInTurn() {
        Lanes lanes = new Lanes(1);
        List<String> started = new ArrayList<>();
        Waiting book = new Waiting("book", lanes, started);
        Waiting cancel = new Waiting("cancel", lanes, started);
        assertTrue(lanes.take());
        book.queued = 3;
        cancel.queued = 3;

        for (int i = 0; i < 4; i++) {
            lanes.release();
        }

        assertEquals(List.of("book", "cancel", "book", "cancel"), started,
                "neither pipeline's queue keeps the other waiting");
    }
}
