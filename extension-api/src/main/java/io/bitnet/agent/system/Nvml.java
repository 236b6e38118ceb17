package io.bitnet.agent.system;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA's management library through JNA. Loading is lazy and never throws: with no driver (no
 * {@code libnvidia-ml.so}) {@link #available()} is false and the agent reports no GPU series.
 */
public final class Nvml {

  /** The subset of NVML the agent reads. */
  interface Api extends Library {
    int nvmlInit_v2();

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);
  }

  /** The loaded library, or why there is none. */
  private record Loaded(Api api, String error) {}

  private static final class Holder {
    static final Loaded LOADED = load();
    static final Api API = LOADED.api();
    static final String ERROR = LOADED.error();

    private static Loaded load() {
      try {
        Api api = Native.load("nvidia-ml", Api.class);
        int rc = api.nvmlInit_v2();
        return rc == 0 ? new Loaded(api, null) : new Loaded(null, "nvmlInit failed with code " + rc);
      } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
        return new Loaded(null, "no NVIDIA GPU (" + e.getMessage() + ")");
      }
    }
  }

  private Nvml() {}

  public static boolean available() {
    return Holder.API != null;
  }

  /** Why NVML is unavailable, or null when it is available. */
  public static String unavailableReason() {
    return Holder.ERROR;
  }

  static Api api() {
    return Holder.API;
  }

  /** Names of the GPUs NVML sees; empty without NVML. */
  public static List<String> deviceNames() {
    List<String> names = new ArrayList<>();
    Api api = Holder.API;
    if (api == null) {
      return names;
    }
    IntByReference count = new IntByReference();
    if (api.nvmlDeviceGetCount_v2(count) != 0) {
      return names;
    }
    for (int i = 0; i < count.getValue(); i++) {
      PointerByReference device = new PointerByReference();
      byte[] name = new byte[96];
      if (api.nvmlDeviceGetHandleByIndex_v2(i, device) == 0 && api.nvmlDeviceGetName(device.getValue(), name, name.length) == 0) {
        names.add(Native.toString(name));
      } else {
        names.add("gpu" + i);
      }
    }
    return names;
  }

  /** For the resource attribute: {@code none}, or the device names joined with commas. */
  public static String describeGpus() {
    List<String> names = deviceNames();
    return names.isEmpty() ? "none" : String.join(",", names).replace(';', ' ');
  }
}
