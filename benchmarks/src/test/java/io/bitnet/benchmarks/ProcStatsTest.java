package io.bitnet.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcStatsTest {

  private final long self = ProcessHandle.current().pid();

  @Test
  void countsTheCpuOfTheNamedThreadsOnly() throws Exception {
    CountDownLatch measured = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread busy = new Thread(() -> {
      long until = System.nanoTime() + 200_000_000L;
      long x = 0;
      while (System.nanoTime() < until) {
        x += Long.numberOfTrailingZeros(x + System.nanoTime());
      }
      done.countDown();
      try {
        measured.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (x == 42) {
        System.out.println(x); // keeps the loop from being removed
      }
    }, "busy-probe-thread");
    Map<Long, Long> before = ProcStats.threadCpuNanos(self, List.of("busy-probe"));
    busy.start();
    done.await();
    Map<Long, Long> after = ProcStats.threadCpuNanos(self, List.of("busy-probe"));
    Map<Long, Long> none = ProcStats.threadCpuNanos(self, List.of("no-such-thread"));
    measured.countDown();
    busy.join();

    assertTrue(before.isEmpty(), before.toString());
    assertEquals(1, after.size(), after.toString());
    long used = ProcStats.cpuNanosBetween(before, after);
    // it spun for 200 ms of wall time; on a shared machine it gets at least part of a core
    assertTrue(used > 20_000_000L && used < 2_000_000_000L, used + " ns");
    assertTrue(none.isEmpty());
  }

  @Test
  void aThreadAliveAtBothEndsCountsOnlyItsGrowth() {
    assertEquals(30, ProcStats.cpuNanosBetween(Map.of(1L, 100L, 2L, 5L), Map.of(1L, 120L, 3L, 10L)));
  }

  @Test
  void readsTheProcessCpuTimeAndThreadCount() throws Exception {
    assertTrue(ProcStats.cpuTicks(self) > 0);
    assertTrue(ProcStats.threads(self) >= 2);
    assertEquals(0, ProcStats.threads(Long.MAX_VALUE));
  }

  @Test
  void seesAProcessStoppedBySigstopAndRunningAgainAfterSigcont() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      long pid = sleeper.pid();
      assertFalse(ProcStats.stopped(pid));
      ServerUnderLoad.signal(pid, "STOP");
      assertTrue(awaitStopped(pid, true));
      ServerUnderLoad.signal(pid, "CONT");
      assertTrue(awaitStopped(pid, false));
    } finally {
      sleeper.destroyForcibly();
    }
  }

  private static boolean awaitStopped(long pid, boolean stopped) throws Exception {
    for (int i = 0; i < 200; i++) { // the signal is delivered asynchronously
      if (ProcStats.stopped(pid) == stopped) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }
}
