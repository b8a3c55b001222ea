package dev.creditline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used by each part of a run, from /proc: the server, PostgreSQL (its live processes and the backends it
 * has reaped), this load generator, and the programs this process ran and reaped (pgbench). Read before and after a
 * measured run, it tells what one operation costs each part, and whether the machine's cores were the limit.
 */
final class Cpu {
    /** Linux's USER_HZ: /proc counts CPU time in hundredths of a second on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds used so far, and when they were read. */
    record Reading(double server, double postgres, double loadGenerator, double children, long nanos) {
        /** What was used between {@code earlier} and this reading. */
        Reading since(Reading earlier) {
            return new Reading(server - earlier.server, postgres - earlier.postgres,
                    loadGenerator - earlier.loadGenerator, children - earlier.children, nanos - earlier.nanos);
        }

        double seconds() {
            return nanos / 1e9;
        }

        /** The share of the machine's cores the parts used together. */
        double busy() {
            return (server + postgres + loadGenerator + children) / seconds()
                    / Runtime.getRuntime().availableProcessors();
        }
    }

    private final long serverPid;

    Cpu(long serverPid) {
        this.serverPid = serverPid;
    }

    Reading read() {
        long self = ProcessHandle.current().pid();
        double postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) processes::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] times = times(Long.parseLong(name));
                if (times != null && times[4] == 1) {
                    // Backends that ended are in the postmaster's reaped-children time.
                    postgres += times[0] + times[1] + (isPostmaster(dir) ? times[2] + times[3] : 0);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        long[] server = times(serverPid);
        long[] own = times(self);
        if (server == null || own == null) {
            throw new IllegalStateException("cannot read the CPU time of the server (" + serverPid + ") or this process");
        }
        return new Reading((server[0] + server[1]) / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND,
                (own[0] + own[1]) / TICKS_PER_SECOND, (own[2] + own[3]) / TICKS_PER_SECOND, System.nanoTime());
    }

    /** utime, stime, cutime, cstime of a process, and 1 when it is PostgreSQL's; null when it is gone. */
    private static long[] times(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
        // The command name is in parentheses and may hold spaces; the fields after it are numbered from 3.
        String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14]), command.equals("postgres") ? 1 : 0};
    }

    /** The postmaster is the PostgreSQL process whose parent is not PostgreSQL. */
    private static boolean isPostmaster(Path dir) {
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"));
        } catch (IOException e) {
            return false;
        }
        long parent = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        long[] parentTimes = times(parent);
        return parentTimes == null || parentTimes[4] == 0;
    }
}
