package dev.creditline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
        Map<Long, Stat> all = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(dir -> dir.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).forEach(pid -> {
                        Stat stat = stat(pid);
                        if (stat != null) {
                            all.put(pid, stat);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        long postgres = 0;
        for (Stat stat : all.values()) {
            if (stat.command().equals("postgres")) {
                // Backends that ended are in the reaped-children time of the postmaster, whose parent is not PostgreSQL.
                Stat parent = all.get(stat.parent());
                boolean postmaster = parent == null || !parent.command().equals("postgres");
                postgres += stat.own() + (postmaster ? stat.reaped() : 0);
            }
        }
        Stat server = all.get(serverPid);
        Stat own = all.get(ProcessHandle.current().pid());
        if (server == null || own == null) {
            throw new IllegalStateException("cannot read the CPU time of the server (" + serverPid + ") or this process");
        }
        return new Reading(server.own() / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND, own.own() / TICKS_PER_SECOND,
                own.reaped() / TICKS_PER_SECOND, System.nanoTime());
    }

    /** A process's command, parent, CPU ticks of its own (user and system) and of the children it reaped. */
    private record Stat(String command, long parent, long own, long reaped) {
    }

    /** The process's figures, or null when it is gone. */
    private static Stat stat(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
        // The command name is in parentheses and may hold spaces; the fields after it are numbered from 3.
        String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new Stat(command, Long.parseLong(fields[1]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
    }
}
