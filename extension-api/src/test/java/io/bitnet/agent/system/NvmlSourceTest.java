package io.bitnet.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the NVML source picks its memory query, against a fake library standing in for the driver (the
 * real one is checked on a GPU host by {@code integration-tests/gpu/check_gpu_metrics.py}).
 */
class NvmlSourceTest {

  private static final int GPU_IS_LOST = 15;
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  /** A driver whose answers the test sets; it counts the calls of each memory query. */
  private static final class FakeDriver implements Nvml.Api {
    int v2Result = 0;
    boolean v2Missing;
    int v1Result = 0;
    int utilizationResult = 0;
    int v2Calls;
    int v1Calls;

    @Override
    public int nvmlInit_v2() {
      return 0;
    }

    @Override
    public int nvmlDeviceGetCount_v2(IntByReference count) {
      return 0;
    }

    @Override
    public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
      return 0;
    }

    @Override
    public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
      return 0;
    }

    @Override
    public int nvmlDeviceGetUtilizationRates(Pointer device, Nvml.Utilization utilization) {
      utilization.gpu = 42;
      return utilizationResult;
    }

    @Override
    public int nvmlDeviceGetMemoryInfo(Pointer device, Nvml.Memory memory) {
      v1Calls++;
      memory.total = 80 * GIB;
      memory.used = 10 * GIB + 480 * MIB; // reserved counted in, as R510 and later drivers do here
      memory.free = memory.total - memory.used;
      return v1Result;
    }

    @Override
    public int nvmlDeviceGetMemoryInfo_v2(Pointer device, Nvml.MemoryV2 memory) {
      v2Calls++;
      if (v2Missing) {
        throw new UnsatisfiedLinkError("Error looking up function 'nvmlDeviceGetMemoryInfo_v2'");
      }
      assertEquals(memory.size() | (2 << 24), memory.version, "the struct version NVML checks");
      memory.total = 80 * GIB;
      memory.reserved = 480 * MIB;
      memory.used = 10 * GIB;
      memory.free = memory.total - memory.reserved - memory.used;
      return v2Result;
    }
  }

  private static GpuSource source(FakeDriver driver) {
    Nvml.Device h100 = new Nvml.Device(0, "NVIDIA H100 80GB HBM3", new Pointer(0x1000));
    Nvml.Device noHandle = new Nvml.Device(1, "gpu1", null);
    return new Nvml.NvmlSource(new Nvml.Loaded(driver, List.of(h100, noHandle), null));
  }

  @Test
  void readsReservedMemoryApartFromUsedWhereTheDriverHasTheSecondVersion() {
    FakeDriver driver = new FakeDriver();
    GpuSource gpus = source(driver);
    assertEquals(new GpuSource.MemoryInfo(80 * GIB, 480 * MIB, 80 * GIB - 480 * MIB - 10 * GIB, 10 * GIB), gpus.memory(0));
    assertEquals(0, driver.v1Calls);
    assertEquals(List.of("NVIDIA H100 80GB HBM3", "gpu1"), gpus.deviceNames());
  }

  @Test
  void aDriverWithoutTheSecondVersionFallsBackForGood() {
    FakeDriver driver = new FakeDriver();
    driver.v2Result = Nvml.FUNCTION_NOT_FOUND;
    GpuSource gpus = source(driver);
    for (int i = 0; i < 3; i++) {
      GpuSource.MemoryInfo m = gpus.memory(0);
      assertEquals(10 * GIB + 480 * MIB, m.used());
      assertEquals(GpuSource.MemoryInfo.UNKNOWN, m.reserved());
    }
    assertEquals(1, driver.v2Calls, "asked once, then not again");
    assertEquals(3, driver.v1Calls);
  }

  @Test
  void aLibraryWithoutTheSymbolFallsBackForGood() {
    FakeDriver driver = new FakeDriver();
    driver.v2Missing = true;
    GpuSource gpus = source(driver);
    assertEquals(GpuSource.MemoryInfo.UNKNOWN, gpus.memory(0).reserved());
    assertEquals(GpuSource.MemoryInfo.UNKNOWN, gpus.memory(0).reserved());
    assertEquals(1, driver.v2Calls);
  }

  @Test
  void aTransientFailureIsNoReasonToGiveUpTheSecondVersion() {
    FakeDriver driver = new FakeDriver();
    driver.v2Result = GPU_IS_LOST;
    GpuSource gpus = source(driver);
    assertNull(gpus.memory(0), "no reading rather than a version-1 one that counts reserved in used");
    assertEquals(0, driver.v1Calls);
    driver.v2Result = 0;
    assertEquals(480 * MIB, gpus.memory(0).reserved());
    assertEquals(10 * GIB, gpus.memory(0).used());
    assertEquals(3, driver.v2Calls);
    assertEquals(0, driver.v1Calls);
  }

  @Test
  void utilizationIsARatioAndFailuresAreNaN() {
    FakeDriver driver = new FakeDriver();
    GpuSource gpus = source(driver);
    assertEquals(0.42, gpus.utilization(0), 1e-12);
    assertEquals(Double.NaN, gpus.utilization(1), "no handle");
    assertEquals(Double.NaN, gpus.utilization(2), "no such device");
    assertNull(gpus.memory(1));
    driver.utilizationResult = GPU_IS_LOST;
    assertEquals(Double.NaN, gpus.utilization(0));
  }

  @Test
  void aLibraryThatSeesNoDeviceSaysSo() {
    GpuSource gpus = new Nvml.NvmlSource(new Nvml.Loaded(new FakeDriver(), List.of(), null));
    assertEquals("NVML sees no device", gpus.unavailableReason());
    assertEquals(List.of(), gpus.deviceNames());
  }
}
