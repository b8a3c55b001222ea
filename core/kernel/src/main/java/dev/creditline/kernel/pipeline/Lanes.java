package dev.creditline.kernel.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How many transactions a group of {@link WritePipeline}s may run at once. Pipelines whose requests come mixed (a
 * booking app books, cancels and books again) share one group: a few transactions at a time between them, so the
 * requests that wait batch bigger than they would with a few lanes each (one commit for more requests). A freed lane
 * goes to the group's pipelines in turn, so no pipeline waits behind another's queue.
 */
public final class Lanes {
    /** A pipeline of the group: starts what it can now that a lane may be free. */
    interface Member {
        /** Starts its waiting requests on free lanes; whether it started any. */
        boolean resume();
    }

    private final int count;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private int busy;
    private int turn;

    /** @param count the most transactions at once, for all the group's pipelines together */
    public Lanes(int count) {
        this.count = Math.max(1, count);
    }

    void join(Member member) {
        members.add(member);
    }

    /** Takes a lane if one is free. */
    synchronized boolean take() {
        if (busy < count) {
            busy++;
            return true;
        }
        return false;
    }

    /** Gives a lane back and offers the free lanes to the pipelines in turn, starting after the last served. */
    void release() {
        int first;
        synchronized (this) {
            busy--;
            first = turn;
        }
        int n = members.size();
        for (int i = 0; i < n; i++) {
            int index = (first + i) % n;
            if (members.get(index).resume()) {
                synchronized (this) {
                    turn = (index + 1) % n;
                }
            }
        }
    }
}
