package io.bitnet.agent.system;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA's management library through JNA. Loading is lazy (a holder class) and never throws: with no
 * driver (no {@code libnvidia-ml.so}) {@link #available()} is false and the agent reports no GPU
 * series. The device list is read once, at load; utilization and memory are read on each call.
 */
public final class Nvml {

  private static final int SUCCESS = 0;
  static final int NOT_SUPPORTED = 3;
  static final int FUNCTION_NOT_FOUND = 13;
  static final int ARGUMENT_VERSION_MISMATCH = 25;
  private static final int NAME_BUFFER = 96;
  private static final String SONAME = "libnvidia-ml.so.1";

  /** {@code nvmlUtilization_t}: percentages over the driver's last sample period. */
  @Structure.FieldOrder({"gpu", "memory"})
  public static final class Utilization extends Structure {
    public int gpu;
    public int memory;
  }

  /**
   * {@code nvmlMemory_v2_t} (drivers from R510): bytes, with the memory the driver and firmware set aside
   * ({@code reserved}) apart from {@code used}, as {@code nvidia-smi} shows them.
   */
  @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
  public static final class MemoryV2 extends Structure {
    public int version;
    public long total;
    public long reserved;
    public long free;
    public long used;

    MemoryV2() {
      version = size() | (2 << 24); // NVML_STRUCT_VERSION(Memory, 2)
    }
  }

  /** {@code nvmlMemory_t}: bytes; on drivers from R510 {@code used} includes the reserved memory. */
  @Structure.FieldOrder({"total", "free", "used"})
  public static final class Memory extends Structure {
    public long total;
    public long free;
    public long used;
  }

  /** The subset of NVML the agent reads. */
  interface Api extends Library {
    int nvmlInit_v2();

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

    int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);
  }

  /** A device: its index, name and NVML handle (null when the handle could not be read). */
  record Device(int index, String name, Pointer handle) {}

  /** The loaded library and its devices, or why there is none. */
  record Loaded(Api api, List<Device> devices, String error) {}

  private static final class Holder {
    static final Loaded LOADED = load();

    private static Loaded load() {
      if (!driverPresent()) {
        // Without the kernel driver NVML cannot work; skipping JNA here keeps the agent's startup free of
        // extracting and linking a native library (about 0.1 s) on the many hosts without a GPU.
        return new Loaded(null, List.of(), "no NVIDIA driver (no /proc/driver/nvidia, /dev/nvidiactl or /dev/nvidia0)");
      }
      try {
        Api api = loadLibrary();
        int rc = api.nvmlInit_v2();
        if (rc != SUCCESS) {
          return new Loaded(null, List.of(), "nvmlInit failed with code " + rc);
        }
        return new Loaded(api, List.copyOf(devices(api)), null);
      } catch (LinkageError | RuntimeException e) {
        // UnsatisfiedLinkError (no driver), NoClassDefFoundError (no JNA), JNA's own runtime errors
        return new Loaded(null, List.of(), e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
      }
    }

    /**
     * The driver installs NVML as {@code libnvidia-ml.so.1}; the unversioned {@code libnvidia-ml.so} comes only
     * with CUDA's development packages, which GPU containers often lack. So the soname goes first, then the
     * short name for installs that have only that.
     */
    private static Api loadLibrary() {
      try {
        return Native.load(SONAME, Api.class);
      } catch (UnsatisfiedLinkError first) {
        try {
          return Native.load("nvidia-ml", Api.class);
        } catch (UnsatisfiedLinkError second) {
          second.addSuppressed(first);
          throw second;
        }
      }
    }

    /** The NVIDIA kernel driver's traces, also visible in GPU containers (the container runtime mounts them). */
    private static boolean driverPresent() {
      for (String path : new String[] {"/proc/driver/nvidia/version", "/dev/nvidiactl", "/dev/nvidia0"}) {
        if (java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
          return true;
        }
      }
      return false;
    }

    private static List<Device> devices(Api api) {
      List<Device> devices = new ArrayList<>();
      IntByReference count = new IntByReference();
      if (api.nvmlDeviceGetCount_v2(count) != SUCCESS) {
        return devices;
      }
      for (int i = 0; i < count.getValue(); i++) {
        PointerByReference ref = new PointerByReference();
        Pointer handle = api.nvmlDeviceGetHandleByIndex_v2(i, ref) == SUCCESS ? ref.getValue() : null;
        byte[] name = new byte[NAME_BUFFER];
        boolean named = handle != null && api.nvmlDeviceGetName(handle, name, name.length) == SUCCESS;
        devices.add(new Device(i, named ? Native.toString(name) : "gpu" + i, handle));
      }
      return devices;
    }
  }

  private Nvml() {}

  /** JNA's load errors list every path tried, one per line; the first line says what failed. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).trim();
  }

  public static boolean available() {
    return Holder.LOADED.api() != null;
  }

  /** Why NVML is unavailable, or null when it is available. */
  public static String unavailableReason() {
    return Holder.LOADED.error();
  }

  /** Names of the GPUs NVML sees; empty without NVML. */
  public static List<String> deviceNames() {
    return names(Holder.LOADED);
  }

  private static List<String> names(Loaded loaded) {
    List<String> names = new ArrayList<>();
    for (Device d : loaded.devices()) {
      names.add(d.name());
    }
    return names;
  }

  /** For the resource attribute: {@code none}, or the device names joined with commas. */
  public static String describeGpus() {
    List<String> names = deviceNames();
    return names.isEmpty() ? "none" : String.join(",", names).replace(';', ' ');
  }

  /** NVML as a {@link GpuSource}. */
  public static GpuSource source() {
    return new NvmlSource(Holder.LOADED);
  }

  /** Reads through a loaded library (a fake one in tests); every failure becomes NaN or null. */
  static final class NvmlSource implements GpuSource {

    private final Loaded loaded;
    /** Set once the driver has no version-2 memory query (before R510) or refused it. */
    private volatile boolean memoryV1Only;

    NvmlSource(Loaded loaded) {
      this.loaded = loaded;
    }

    private Device device(int index) {
      List<Device> devices = loaded.devices();
      return index >= 0 && index < devices.size() ? devices.get(index) : null;
    }

    @Override
    public List<String> deviceNames() {
      return names(loaded);
    }

    @Override
    public String unavailableReason() {
      String error = loaded.error();
      return error == null && loaded.devices().isEmpty() ? "NVML sees no device" : error;
    }

    @Override
    public double utilization(int index) {
      Device d = device(index);
      if (d == null || d.handle() == null) {
        return Double.NaN;
      }
      try {
        Utilization u = new Utilization();
        return loaded.api().nvmlDeviceGetUtilizationRates(d.handle(), u) == SUCCESS ? u.gpu / 100.0 : Double.NaN;
      } catch (LinkageError | RuntimeException e) {
        return Double.NaN;
      }
    }

    @Override
    public MemoryInfo memory(int index) {
      Device d = device(index);
      if (d == null || d.handle() == null) {
        return null;
      }
      try {
        if (!memoryV1Only) {
          MemoryV2 m = new MemoryV2();
          int rc = loaded.api().nvmlDeviceGetMemoryInfo_v2(d.handle(), m);
          if (rc == SUCCESS) {
            return new MemoryInfo(m.total, m.reserved, m.free, m.used);
          }
          if (rc != NOT_SUPPORTED && rc != FUNCTION_NOT_FOUND && rc != ARGUMENT_VERSION_MISMATCH) {
            // A transient failure: no reading this time. Version 1 would count the reserved
            // memory in used, and the series would jump by it and back.
            return null;
          }
          memoryV1Only = true;
        }
      } catch (UnsatisfiedLinkError e) {
        memoryV1Only = true; // a driver before R510: no such function
      } catch (LinkageError | RuntimeException e) {
        return null;
      }
      try {
        Memory m = new Memory();
        return loaded.api().nvmlDeviceGetMemoryInfo(d.handle(), m) == SUCCESS
            ? new MemoryInfo(m.total, MemoryInfo.UNKNOWN, m.free, m.used) : null;
      } catch (LinkageError | RuntimeException e) {
        return null;
      }
    }
  }
}
