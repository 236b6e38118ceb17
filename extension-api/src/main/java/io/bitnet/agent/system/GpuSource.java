package io.bitnet.agent.system;

import java.util.List;

/**
 * The GPUs the agent reports on: NVML in production ({@link Nvml#source()}), a fixed fake in tests.
 * Reads never throw; a value that cannot be read comes back as NaN or null.
 */
public interface GpuSource {

  /** The detail reported when there is no usable NVIDIA GPU. */
  String NO_GPU = "no NVIDIA GPU";

  /** Device names by index; empty when there is no GPU or no driver. */
  List<String> deviceNames();

  /** Why there are no GPUs to report (for example the driver library is missing), or null. */
  String unavailableReason();

  /** Utilization of the device from 0 to 1 over the driver's last sample period, or NaN. */
  double utilization(int device);

  /** Memory of the device in bytes, or null. */
  MemoryInfo memory(int device);

  /**
   * Device memory in bytes. {@code reserved} is what the driver and firmware set aside, apart from
   * {@code used} (as {@code nvidia-smi} shows them); {@link #UNKNOWN} on drivers that count it in
   * {@code used}.
   */
  record MemoryInfo(long total, long reserved, long free, long used) {
    public static final long UNKNOWN = -1;
  }
}
