package io.bitnet.kernels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NativeScratchTest {

  @Test
  void successiveLeasesOnAThreadReuseOneAlignedBuffer() {
    long first;
    try (NativeScratch s = NativeScratch.lease(1000)) {
      first = Pointer.nativeValue(s.at(0));
      assertEquals(0, first % 64, "64-byte aligned");
      s.at(0).write(0, new float[] {1f, 2f}, 0, 2);
      s.at(992).setLong(0, 7L); // the last 8 bytes asked for are usable
    }
    try (NativeScratch s = NativeScratch.lease(500)) {
      assertEquals(first, Pointer.nativeValue(s.at(0)), "a smaller lease reuses the buffer");
      assertEquals(first + 128, Pointer.nativeValue(s.at(128)));
    }
  }

  @Test
  void aLargerLeaseGrowsTheBufferAndANestedLeaseGetsItsOwnMemory() {
    try (NativeScratch outer = NativeScratch.lease(1 << 20)) {
      outer.at(0).setLong((1 << 20) - 8, 42L);
      try (NativeScratch nested = NativeScratch.lease(256)) {
        assertNotEquals(Pointer.nativeValue(outer.at(0)), Pointer.nativeValue(nested.at(0)));
        nested.at(0).setLong(0, 1L);
      }
      assertEquals(42L, outer.at(0).getLong((1 << 20) - 8), "the nested lease did not touch the outer one");
    }
  }

  @Test
  void eachThreadHasItsOwnBuffer() throws InterruptedException {
    AtomicLong other = new AtomicLong();
    try (NativeScratch mine = NativeScratch.lease(4096)) {
      Thread t = new Thread(() -> {
        try (NativeScratch s = NativeScratch.lease(4096)) {
          other.set(Pointer.nativeValue(s.at(0)));
        }
      });
      t.start();
      t.join();
      assertTrue(other.get() != 0);
      assertNotEquals(Pointer.nativeValue(mine.at(0)), other.get());
    }
  }
}
