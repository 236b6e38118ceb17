#!/usr/bin/env python3
"""Checks bitnet-agent's GPU metrics against nvidia-smi, on a host with an NVIDIA GPU.

CI has no GPU, so the NVML path of the agent is checked here, by hand, on a GPU host. The script
starts the sample server with the built agent, then compares what the agent exports
(bitnet_gpu_utilization_ratio, bitnet_gpu_memory_usage_bytes, the device_monitor health component
and the dashboard's GPU list) with what nvidia-smi says at the same moment: idle, and, when PyTorch
with CUDA is installed, while a second process holds 8 GiB of GPU memory and multiplies matrices.
On a host without an NVIDIA GPU it checks the other side: no GPU series, and health says why.

    integration-tests/gpu/check_gpu_metrics.py AGENT_JAR APP_JAR [OUT_DIR]

JAVA (environment) names the java binary; default java. Uses only the standard library (PyTorch only
for the load). Prints each check and writes the scrapes, health, dashboard and server log to OUT_DIR.
Exits 0 when every check holds, 1 otherwise, 2 on bad arguments.
"""

import ctypes
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

MIB = 1 << 20
# Memory read a moment apart by two tools: allow for small allocations in between.
MEMORY_TOLERANCE_MIB = 16
LOAD_GIB = 8
LOAD_SECONDS = 25


class Checks:
    """Collects pass/fail results and informational figures, printing each as it comes."""

    def __init__(self):
        self.results = []
        self.figures = {}

    def check(self, name, ok, detail=""):
        self.results.append({"check": name, "ok": bool(ok), "detail": detail})
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}", flush=True)
        return ok

    def figure(self, name, value):
        self.figures[name] = value
        print(f"INFO  {name}: {value}", flush=True)

    def passed(self):
        return all(r["ok"] for r in self.results)


# ---- nvidia-smi and NVML read directly, for comparison ----------------------------------------

SMI_FIELDS = ["index", "name", "memory.total", "memory.reserved", "memory.used", "memory.free", "utilization.gpu"]


def smi():
    """One row per GPU from nvidia-smi (memory in MiB, utilization in %), or None without it."""
    if shutil.which("nvidia-smi") is None:
        return None
    fields = SMI_FIELDS
    run = subprocess.run(["nvidia-smi", "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"],
                         capture_output=True, text=True)
    if run.returncode != 0:  # drivers before R510 have no memory.reserved
        fields = [f for f in SMI_FIELDS if f != "memory.reserved"]
        run = subprocess.run(["nvidia-smi", "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"nvidia-smi failed: {run.stderr.strip()}", flush=True)
            return None
    rows = []
    for line in run.stdout.strip().splitlines():
        values = dict(zip(fields, (v.strip() for v in line.split(","))))
        rows.append({k: (v if k == "name" else number(v)) for k, v in values.items()})
    return rows


def number(text):
    """A figure of nvidia-smi's CSV; None for [N/A] and the like."""
    try:
        return int(float(text))
    except ValueError:
        return None


def nvml_direct():
    """NVML's own figures through ctypes: init time, and each memory query the agent might use."""
    class MemoryV1(ctypes.Structure):
        _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong), ("used", ctypes.c_ulonglong)]

    class MemoryV2(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint), ("total", ctypes.c_ulonglong), ("reserved", ctypes.c_ulonglong),
                    ("free", ctypes.c_ulonglong), ("used", ctypes.c_ulonglong)]

    start = time.perf_counter()
    lib = ctypes.CDLL("libnvidia-ml.so.1")
    rc = lib.nvmlInit_v2()
    init_ms = (time.perf_counter() - start) * 1000
    handle = ctypes.c_void_p()
    lib.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(handle))
    v1 = MemoryV1()
    rc1 = lib.nvmlDeviceGetMemoryInfo(handle, ctypes.byref(v1))
    v2 = MemoryV2(version=ctypes.sizeof(MemoryV2) | (2 << 24))
    rc2 = lib.nvmlDeviceGetMemoryInfo_v2(handle, ctypes.byref(v2))
    lib.nvmlShutdown()
    return {"init_rc": rc, "init_ms": round(init_ms, 1),
            "v1_rc": rc1, "v1_used_mib": v1.used / MIB, "v1_free_mib": v1.free / MIB,
            "v2_rc": rc2, "v2_used_mib": v2.used / MIB, "v2_reserved_mib": v2.reserved / MIB,
            "v2_free_mib": v2.free / MIB}


# ---- the sample server with the agent ------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The sample server under the agent, its ports chosen free, its output in a log file."""

    def __init__(self, java, agent, app, log_path):
        self.metrics_port = free_port()
        self.management_port = free_port()
        self.log_path = log_path
        agent_options = [] if agent is None else [
            "-javaagent:" + agent, "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none",
            f"-Dotel.exporter.prometheus.port={self.metrics_port}",
            f"-Dbitnet.management.port={self.management_port}"]
        self.log = open(log_path, "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen([java, *agent_options, "-jar", app, "serve", "--model", "tiny", "--port", "0"],
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=120):
        """Seconds from launch to the server's "ready in" line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as f:
                if " ready in " in f.read():
                    return time.monotonic() - self.started
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            time.sleep(0.02)
        raise RuntimeError(f"the server was not ready in {timeout} s; see {self.log_path}")

    def stop(self):
        """SIGTERM, as Kubernetes sends it; the exit status, or None if it had to be killed."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self.log.close()

    def get(self, port, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.read().decode()


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def series(text, name):
    """[(labels, value)] of one metric in Prometheus text format."""
    out = []
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m and m.group(1) == name:
            out.append((dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return out


def gpu_memory(text, device, kind):
    """bitnet_gpu_memory_usage_bytes of one device and memory type, in MiB, or None."""
    for labels, value in series(text, "bitnet_gpu_memory_usage_bytes"):
        if labels.get("device_id") == str(device) and labels.get("memory_type") == kind:
            return value / MIB
    return None


def gpu_utilization(text, device):
    for labels, value in series(text, "bitnet_gpu_utilization_ratio"):
        if labels.get("device_id") == str(device):
            return labels.get("device_name"), value
    return None, None


# ---- the checks ------------------------------------------------------------------------------------

def check_capabilities(checks, text, gpus):
    """The resource attribute bitnet.device.capabilities, on target_info, names the GPUs (or none)."""
    found = [labels.get("bitnet_device_capabilities", "") for labels, _ in series(text, "target_info")]
    expected = ";gpu:" + (",".join(g["name"] for g in gpus) if gpus else "none")
    checks.check("target_info's bitnet_device_capabilities names the GPUs",
                 len(found) == 1 and found[0].endswith(expected), f"{found} should end with {expected!r}")


def check_idle(checks, server, gpus, out):
    text = server.get(server.metrics_port, "/metrics")
    after = smi()
    write(out, "metrics-idle.txt", text)
    check_capabilities(checks, text, gpus)
    checks.check("one utilization series per GPU", len(series(text, "bitnet_gpu_utilization_ratio")) == len(gpus),
                 f"{len(series(text, 'bitnet_gpu_utilization_ratio'))} series, nvidia-smi lists {len(gpus)}")
    for gpu, now in zip(gpus, after):
        i = gpu["index"]
        name, utilization = gpu_utilization(text, i)
        checks.check(f"gpu {i}: device_name is nvidia-smi's name", name == gpu["name"], f"{name!r} vs {gpu['name']!r}")
        checks.check(f"gpu {i}: utilization is a ratio in [0, 1]", utilization is not None and 0 <= utilization <= 1,
                     f"{utilization}")
        total = gpu_memory(text, i, "total")
        checks.check(f"gpu {i}: total memory equals nvidia-smi's", total is not None and abs(total - gpu["memory.total"]) <= 1,
                     f"{total} MiB vs {gpu['memory.total']} MiB")
        compare_memory(checks, f"gpu {i} idle", text, i, gpu, now)


def compare_memory(checks, what, text, device, before, after):
    """Used (and reserved) against nvidia-smi read just before and just after the scrape."""
    used = gpu_memory(text, device, "used")
    low, high = sorted((before["memory.used"], after["memory.used"]))
    checks.check(f"{what}: used memory matches nvidia-smi",
                 used is not None and low - MEMORY_TOLERANCE_MIB <= used <= high + MEMORY_TOLERANCE_MIB,
                 f"agent {used:.0f} MiB, nvidia-smi {low}-{high} MiB" if used is not None else "no used series")
    if "memory.reserved" in after:
        reserved = gpu_memory(text, device, "reserved")
        checks.check(f"{what}: reserved memory matches nvidia-smi",
                     reserved is not None and abs(reserved - after["memory.reserved"]) <= 1,
                     f"agent {reserved} MiB, nvidia-smi {after['memory.reserved']} MiB")
    total, free = gpu_memory(text, device, "total"), gpu_memory(text, device, "free")
    reserved = gpu_memory(text, device, "reserved") or 0
    if None not in (total, free, used):
        checks.check(f"{what}: used + reserved + free = total", abs(used + reserved + free - total) <= 1,
                     f"{used:.0f} + {reserved:.0f} + {free:.0f} vs {total:.0f} MiB")
    return used


LOAD = f"""
import sys, time, torch
hold = torch.empty({LOAD_GIB} << 30, dtype=torch.uint8, device="cuda")
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = a @ a
torch.cuda.synchronize()
print("loaded", flush=True)
end = time.time() + {LOAD_SECONDS}
while time.time() < end:
    for _ in range(20):
        b = a @ a
    torch.cuda.synchronize()
"""


def torch_cuda():
    probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
                           capture_output=True, text=True)
    return probe.stdout.strip() == "True"


def check_under_load(checks, server, idle_used, out):
    """A second process holds LOAD_GIB GiB and keeps the first GPU busy; the agent must see both."""
    if not torch_cuda():
        checks.figure("load", "skipped: no PyTorch with CUDA for this python")
        return
    load = subprocess.Popen([sys.executable, "-c", LOAD], stdout=subprocess.PIPE, text=True)
    try:
        if load.stdout.readline().strip() != "loaded":
            checks.check("the load process started", False, f"exit {load.wait()}")
            return
        time.sleep(2)  # NVML's utilization covers its last sample period (up to a second)
        samples = []
        for _ in range(5):
            before = smi()
            text = server.get(server.metrics_port, "/metrics")
            after = smi()
            samples.append((before, text, after))
            time.sleep(1)
        write(out, "metrics-load.txt", samples[-1][1])
        agent_util = [gpu_utilization(text, 0)[1] or 0 for _, text, _ in samples]
        smi_util = [after[0]["utilization.gpu"] for _, _, after in samples]
        checks.check("gpu 0 under load: utilization at least 0.5", statistics.median(agent_util) >= 0.5,
                     f"agent {agent_util}, nvidia-smi {smi_util} %")
        for n, (before, text, after) in enumerate(samples):
            used = compare_memory(checks, f"gpu 0 under load, scrape {n + 1}", text, 0, before[0], after[0])
            if n == 0:
                checks.check("gpu 0 under load: used memory rose by the load's allocation",
                             used is not None and used - idle_used >= LOAD_GIB * 1024,
                             f"{used:.0f} MiB vs {idle_used:.0f} MiB idle" if used is not None else "no used series")
    finally:
        load.kill()
        load.wait()
    time.sleep(2)
    text = server.get(server.metrics_port, "/metrics")
    used = gpu_memory(text, 0, "used")
    checks.check("gpu 0 after the load: used memory fell back (read live, not cached)",
                 used is not None and used < idle_used + LOAD_GIB * 1024 / 2,
                 f"{used:.0f} MiB, idle was {idle_used:.0f} MiB" if used is not None else "no used series")


def check_health_and_dashboard(checks, server, gpus, out):
    health = json.loads(server.get(server.management_port, "/health"))
    write(out, "health.json", json.dumps(health, indent=1))
    device = next((c for c in health["checks"] if c["name"] == "device_monitor"), None)
    data = device["data"] if device else {}
    if gpus:
        names = ", ".join(g["name"] for g in gpus)
        checks.check("health device_monitor names the GPUs", data.get("gpu") == names and data.get("gpu_count") == len(gpus),
                     f"gpu={data.get('gpu')!r} gpu_count={data.get('gpu_count')}")
    else:
        checks.check("health device_monitor says there is no GPU, and why",
                     data.get("gpu") == "no NVIDIA GPU" and bool(data.get("gpu_reason")),
                     f"gpu={data.get('gpu')!r} gpu_reason={data.get('gpu_reason')!r}")
    deadline = time.monotonic() + 15  # the dashboard's first point comes after its second sample (2 s apart)
    while True:
        dashboard = json.loads(server.get(server.management_port, "/dashboard/api/metrics"))
        if dashboard.get("series") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    listed = find_key(dashboard.get("series", [])[-1:], "gpus")
    write(out, "dashboard.json", json.dumps(dashboard, indent=1))
    if gpus:
        ok = isinstance(listed, list) and len(listed) == len(gpus) and all(
            g.get("name") == s["name"] and abs((g.get("memoryTotalBytes") or 0) / MIB - s["memory.total"]) <= 1 for g, s in zip(listed, gpus))
        checks.check("dashboard lists each GPU with its name and total memory", ok, json.dumps(listed)[:300])
    else:
        checks.check("dashboard's latest point lists no GPU", dashboard.get("series") and listed == [],
                     json.dumps(listed))


def find_key(node, key):
    """The first value under key anywhere in a JSON document."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = find_key(child, key)
            if found is not None:
                return found
    return None


def scrape_latency(checks, server):
    times = []
    for _ in range(20):
        start = time.perf_counter()
        server.get(server.metrics_port, "/metrics")
        times.append((time.perf_counter() - start) * 1000)
    checks.figure("/metrics scrape ms (20 scrapes: median, max)", f"{statistics.median(times):.1f}, {max(times):.1f}")


def startup(checks, java, agent, app, work):
    """Seconds to ready without and with the agent, alternated three times (informational)."""
    runs = {"no agent": [], "bitnet-agent": []}
    for _ in range(3):
        for label, jar in (("no agent", None), ("bitnet-agent", agent)):
            server = Server(java, jar, app, os.path.join(work, "startup.log"))
            try:
                runs[label].append(round(server.wait_ready(), 2))
            finally:
                server.stop()
    checks.figure("seconds to ready (3 alternated starts)", runs)


def write(out, name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def main(argv):
    if len(argv) not in (3, 4) or not all(os.path.isfile(p) for p in argv[1:3]):
        print(__doc__.strip().splitlines()[0], "\nusage: check_gpu_metrics.py AGENT_JAR APP_JAR [OUT_DIR]", file=sys.stderr)
        return 2
    agent, app = argv[1], argv[2]
    out = argv[3] if len(argv) == 4 else tempfile.mkdtemp(prefix="gpu-check-")
    os.makedirs(out, exist_ok=True)
    java = os.environ.get("JAVA", "java")
    checks = Checks()
    gpus = smi() or []
    checks.figure("nvidia-smi", gpus if gpus else "none (checking the no-GPU side)")
    if gpus:
        try:
            checks.figure("NVML read directly (gpu 0)", nvml_direct())
        except (OSError, AttributeError) as e:
            checks.figure("NVML read directly", f"failed: {e}")
    server = Server(java, agent, app, os.path.join(out, "server.log"))
    try:
        checks.figure("seconds from launch to ready, with the agent", round(server.wait_ready(), 2))
        if gpus:
            check_idle(checks, server, gpus, out)
            idle_used = gpu_memory(server.get(server.metrics_port, "/metrics"), 0, "used") or 0
            check_under_load(checks, server, idle_used, out)
        else:
            text = server.get(server.metrics_port, "/metrics")
            write(out, "metrics-idle.txt", text)
            checks.check("no bitnet_gpu series", "bitnet_gpu_" not in text)
            check_capabilities(checks, text, gpus)
        check_health_and_dashboard(checks, server, gpus, out)
        scrape_latency(checks, server)
    finally:
        status = server.stop()
    checks.check("the server stopped cleanly on SIGTERM", status is not None, f"exit status {status}")
    with open(os.path.join(out, "server.log")) as f:
        warnings = [line.strip() for line in f if "bitnet-agent:" in line or "Exception" in line]
    checks.check("the agent logged no warning or exception", not warnings, "; ".join(warnings)[:500])
    startup(checks, java, agent, app, tempfile.mkdtemp(prefix="gpu-check-startup-"))
    write(out, "summary.json", json.dumps({"passed": checks.passed(), "checks": checks.results,
                                           "figures": checks.figures}, indent=1, default=str))
    print(f"{'all checks passed' if checks.passed() else 'SOME CHECKS FAILED'}; files in {out}", flush=True)
    return 0 if checks.passed() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
