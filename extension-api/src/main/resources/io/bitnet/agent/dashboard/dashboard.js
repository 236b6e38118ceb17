// BitNet agent dashboard: polls the agent's management endpoints and draws what they say.
// No libraries and no build step; every string from the agent goes into the DOM through textContent.
'use strict';

(() => {
  const API = {
    metrics: '/dashboard/api/metrics',
    traces: '/dashboard/api/traces',
    trace: (id) => '/dashboard/api/trace?id=' + encodeURIComponent(id),
  };
  // A hung request must not stall the refresh loop for longer than a couple of intervals.
  const FETCH_TIMEOUT_MS = 5000;
  const DEFAULT_INTERVAL_S = 2;

  // Which chart an anomaly's metric belongs on; accuracy_<format> is matched by prefix.
  const ANOMALY_CHART = {
    tokens_per_second: 'chart-tokens',
    latency: 'chart-latency',
    ttft: 'chart-ttft',
    error_ratio: 'chart-requests',
  };

  const $ = (id) => document.getElementById(id);

  const state = {
    intervalS: DEFAULT_INTERVAL_S,
    openTraceId: null,
    tracesKey: null,
    traceCount: 0,
    charts: new Map(),
  };

  // ---------- formatting ----------

  // Plain decimal text without float noise (812.4999999 -> 812.5); the test hooks read these.
  function plain(v) {
    return String(Math.round(v * 1000) / 1000);
  }

  function trimmed(v, digits) {
    return String(Number(v.toFixed(digits)));
  }

  function compact(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return trimmed(v / 1e9, 1) + 'G';
    if (a >= 1e6) return trimmed(v / 1e6, 1) + 'M';
    if (a >= 1e4) return trimmed(v / 1e3, 1) + 'k';
    if (a >= 100) return trimmed(v, 0);
    if (a >= 1) return trimmed(v, 1);
    return trimmed(v, 3);
  }

  function bytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return trimmed(v, v >= 100 || i === 0 ? 0 : 1) + ' ' + units[i];
  }

  const percent = (v) => trimmed(v * 100, 0) + '%';
  const ratio4 = (v) => trimmed(v, 4);
  const ms = (v) => compact(v) + ' ms';

  function clock(t) {
    const d = new Date(t);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  }

  const finite = (v) => typeof v === 'number' && Number.isFinite(v);

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
  }

  const palette = () => [1, 2, 3, 4, 5, 6].map((i) => cssVar('--series-' + i));

  // ---------- canvas line chart ----------

  // One chart per canvas. update() keeps the data so that a resize can redraw without a fetch.
  class LineChart {
    constructor(canvas, options) {
      this.canvas = canvas;
      this.options = Object.assign({ format: compact, zero: true, min: null, max: null, binary: false }, options);
      this.data = { times: [], series: [], markers: [] };
      this.legend = document.querySelector('.legend[data-for="' + canvas.id + '"]');
      if (typeof ResizeObserver === 'function') {
        new ResizeObserver(() => this.draw()).observe(canvas);
      } else {
        window.addEventListener('resize', () => this.draw());
      }
    }

    update(data) {
      this.data = data;
      const first = data.series[0];
      let last = null;
      if (first) {
        for (let i = first.values.length - 1; i >= 0; i--) {
          if (finite(first.values[i])) {
            last = first.values[i];
            break;
          }
        }
      }
      // A point counts as drawn when any series has a value at that time.
      let points = 0;
      for (let i = 0; i < data.times.length; i++) {
        if (data.series.some((s) => finite(s.values[i]))) points++;
      }
      this.canvas.dataset.points = String(points);
      this.canvas.dataset.last = last === null ? '' : plain(last);
      this.renderLegend();
      this.draw();
    }

    renderLegend() {
      if (!this.legend) return;
      const items = this.data.legend || this.data.series;
      this.legend.replaceChildren(...items.map((s) => {
        const li = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = s.color;
        li.append(swatch);
        let text = s.label;
        const v = s.values ? [...s.values].reverse().find(finite) : undefined;
        if (v !== undefined) text += ' ' + this.options.format(v);
        li.append(document.createTextNode(text));
        return li;
      }));
    }

    range() {
      let lo = Infinity;
      let hi = -Infinity;
      for (const s of this.data.series) {
        for (const v of s.values) {
          if (finite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      const o = this.options;
      if (lo === Infinity) {
        lo = 0;
        hi = 1;
      }
      if (o.zero) lo = Math.min(lo, 0);
      if (o.min !== null) lo = o.min;
      if (o.max !== null) hi = Math.max(o.max, hi);
      if (hi <= lo) {
        // A flat line: give it some room so it sits mid-chart instead of on an edge.
        const pad = Math.abs(hi) * 0.001 || 1;
        hi += pad;
        if (!o.zero && o.min === null) lo -= pad;
      }
      // Byte axes step in whole KiB/MiB/GiB so that the labels read 4 GiB, 8 GiB rather than 4.7 GiB.
      const raw = (hi - lo) / 4;
      const unit = o.binary && raw >= 1024 ? Math.pow(1024, Math.floor(Math.log(raw) / Math.log(1024))) : 1;
      const step = niceStep(raw / unit) * unit;
      if (o.min === null) lo = Math.floor(lo / step) * step;
      if (o.max === null) hi = Math.ceil(hi / step) * step;
      return { lo, hi, step };
    }

    draw() {
      const canvas = this.canvas;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (w === 0 || h === 0) return; // hidden (e.g. the GPU cards without a GPU)
      // Draw at device resolution so lines stay sharp on HiDPI screens and phones.
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      const ctx = canvas.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);

      const muted = cssVar('--muted');
      const pad = { left: 46, right: 8, top: 8, bottom: 18 };
      const pw = Math.max(1, w - pad.left - pad.right);
      const ph = Math.max(1, h - pad.top - pad.bottom);
      const { times, series, markers } = this.data;
      const { lo, hi, step } = this.range();
      const y = (v) => pad.top + ph - ((v - lo) / (hi - lo)) * ph;
      const t0 = times.length ? times[0] : 0;
      const t1 = times.length ? times[times.length - 1] : 1;
      const x = (t) => (t1 === t0 ? pad.left + pw / 2 : pad.left + ((t - t0) / (t1 - t0)) * pw);

      ctx.font = '10px system-ui, sans-serif';
      ctx.fillStyle = muted;
      if (!times.length) {
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText('waiting for data', pad.left + pw / 2, pad.top + ph / 2);
        return;
      }
      ctx.lineWidth = 1;
      ctx.strokeStyle = cssVar('--grid');
      ctx.fillStyle = muted;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      for (let v = lo, i = 0; v <= hi + step / 2 && i < 20; v += step, i++) {
        const yy = Math.round(y(v)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(pad.left, yy);
        ctx.lineTo(pad.left + pw, yy);
        ctx.stroke();
        ctx.fillText(this.options.format(v), pad.left - 4, yy);
      }

      ctx.textBaseline = 'alphabetic';
      ctx.textAlign = 'left';
      ctx.fillText(clock(t0), pad.left, h - 4);
      if (t1 !== t0) {
        ctx.textAlign = 'right';
        ctx.fillText(clock(t1), pad.left + pw, h - 4);
      }

      // Anomaly markers under the lines: a dashed vertical rule with a small flag on top.
      for (const m of markers) {
        if (m.t < t0 || m.t > t1) continue;
        const xx = Math.round(x(m.t)) + 0.5;
        ctx.strokeStyle = ctx.fillStyle = cssVar(m.cleared ? '--marker-cleared' : 'up' === m.direction ? '--marker-up' : '--marker-down');
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(xx, pad.top);
        ctx.lineTo(xx, pad.top + ph);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(xx - 4, pad.top);
        ctx.lineTo(xx + 4, pad.top);
        ctx.lineTo(xx, pad.top + 6);
        ctx.closePath();
        ctx.fill();
      }

      ctx.lineJoin = 'round';
      // Thin (secondary) lines first, so the main ones stay on top.
      for (const s of [...series].sort((a, b) => Number(Boolean(b.thin)) - Number(Boolean(a.thin)))) {
        ctx.strokeStyle = ctx.fillStyle = s.color;
        ctx.lineWidth = s.thin ? 1 : 1.75;
        ctx.beginPath();
        let drawing = false;
        s.values.forEach((v, i) => {
          if (!finite(v)) {
            drawing = false; // a gap: null means nothing was measured in that interval
            return;
          }
          const xx = x(times[i]);
          const yy = y(Math.min(Math.max(v, lo), hi));
          const alone = !finite(s.values[i - 1]) && !finite(s.values[i + 1]);
          if (alone) {
            ctx.moveTo(xx + 2, yy);
            ctx.arc(xx, yy, 2, 0, 2 * Math.PI);
            ctx.moveTo(xx, yy);
          } else if (drawing) {
            ctx.lineTo(xx, yy);
          } else {
            ctx.moveTo(xx, yy);
          }
          drawing = true;
        });
        ctx.stroke();
      }
    }
  }

  function niceStep(raw) {
    if (!(raw > 0)) return 1;
    const exp = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / exp;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
  }

  function chart(id, options) {
    if (!state.charts.has(id)) state.charts.set(id, new LineChart($(id), options || {}));
    return state.charts.get(id);
  }

  // ---------- metrics ----------

  // Series for each key seen in any point of an object-valued field (per-format maps), in a stable order.
  function keyedSeries(points, field, colors) {
    const keys = new Set();
    for (const p of points) Object.keys(p[field] || {}).forEach((k) => keys.add(k));
    return [...keys].sort().map((k, i) => ({
      label: k,
      color: colors[i % colors.length],
      values: points.map((p) => (p[field] && finite(p[field][k]) ? p[field][k] : null)),
    }));
  }

  function markersFor(chartId, anomalies) {
    return anomalies
      .filter((a) => anomalyChart(a.metric) === chartId)
      .map((a) => ({ t: a.t, direction: a.direction, cleared: a.clearedAt !== null && a.clearedAt !== undefined }));
  }

  function anomalyChart(metric) {
    if (typeof metric !== 'string') return null;
    if (metric.startsWith('accuracy_')) return 'chart-accuracy';
    return ANOMALY_CHART[metric] || null;
  }

  function renderCharts(points, anomalies) {
    const c = palette();
    const times = points.map((p) => p.t);
    const pick = (f) => points.map((p) => {
      const v = f(p);
      return finite(v) ? v : null;
    });
    const quantile = (field, q) => pick((p) => p[field] && p[field][q]);
    const data = (id, series, extra) => Object.assign({ times, series, markers: markersFor(id, anomalies) }, extra);

    chart('chart-tokens').update(data('chart-tokens', [
      { label: 'tokens/s', color: c[0], values: pick((p) => p.tokensPerSecond) },
    ]));
    chart('chart-requests').update(data('chart-requests', [
      { label: 'requests/s', color: c[0], values: pick((p) => p.requestsPerSecond) },
      { label: 'errors/s', color: c[2], values: pick((p) => p.errorsPerSecond) },
    ]));
    chart('chart-latency', { format: ms }).update(data('chart-latency', [
      { label: 'p50', color: c[0], values: quantile('latencyMs', 'p50') },
      { label: 'p95', color: c[1], values: quantile('latencyMs', 'p95') },
      { label: 'p99', color: c[2], values: quantile('latencyMs', 'p99') },
    ]));
    chart('chart-ttft', { format: ms }).update(data('chart-ttft', [
      { label: 'p50', color: c[0], values: quantile('ttftMs', 'p50') },
      { label: 'p95', color: c[1], values: quantile('ttftMs', 'p95') },
    ]));
    chart('chart-tpot', { format: ms }).update(data('chart-tpot', [
      { label: 'p50', color: c[0], values: quantile('tpotMs', 'p50') },
      { label: 'p95', color: c[1], values: quantile('tpotMs', 'p95') },
    ]));
    chart('chart-active').update(data('chart-active', [
      { label: 'active', color: c[0], values: pick((p) => p.activeRequests) },
      { label: 'waiting', color: c[1], values: pick((p) => p.waitingRequests) },
    ]));
    chart('chart-quantization').update(data('chart-quantization', keyedSeries(points, 'quantizationOpsPerSecond', c)));
    chart('chart-accuracy', { format: ratio4, zero: false }).update(data('chart-accuracy', keyedSeries(points, 'accuracy', c)));

    // CPU: the average first (the number to watch), then each core; many cores get thin lines and one legend entry.
    const cores = points.reduce((n, p) => Math.max(n, (p.cpuPerCore || []).length), 0);
    const perCore = [];
    for (let i = 0; i < cores; i++) {
      perCore.push({ label: 'core ' + i, color: c[(i + 1) % c.length], thin: true, values: pick((p) => (p.cpuPerCore || [])[i]) });
    }
    const average = {
      label: 'average',
      color: c[0],
      values: pick((p) => (p.cpuPerCore && p.cpuPerCore.length ? p.cpuPerCore.reduce((a, b) => a + b, 0) / p.cpuPerCore.length : null)),
    };
    const cpuLegend = cores <= 6 ? [average, ...perCore]
      : [average, { label: cores + ' cores (thin lines)', color: cssVar('--muted') }];
    chart('chart-cpu', { format: percent, min: 0, max: 1 }).update(
      data('chart-cpu', cores ? [average, ...perCore] : [], { legend: cores ? cpuLegend : [] }));

    const mem = (f) => pick((p) => p.memory && p.memory[f]);
    chart('chart-memory', { format: bytes, binary: true }).update(data('chart-memory', [
      { label: 'used', color: c[0], values: mem('usedBytes') },
      { label: 'total', color: c[3], values: mem('totalBytes') },
    ]));
    chart('chart-heap', { format: bytes, binary: true }).update(data('chart-heap', [
      { label: 'heap used', color: c[0], values: mem('heapUsedBytes') },
      { label: 'heap max', color: c[3], values: mem('heapMaxBytes') },
    ]));

    // GPU cards only while the newest point reports devices.
    const latest = points[points.length - 1];
    const gpus = (latest && latest.gpus) || [];
    document.querySelectorAll('.chart-card.gpu').forEach((el) => { el.hidden = gpus.length === 0; });
    $('no-gpu').hidden = gpus.length > 0;
    if (gpus.length) {
      const byIndex = (g, f) => pick((p) => {
        const d = (p.gpus || []).find((x) => x.index === g.index);
        return d ? d[f] : null;
      });
      const name = (g) => 'GPU ' + g.index + (g.name ? ' ' + g.name : '');
      chart('chart-gpu', { format: percent, min: 0, max: 1 }).update(data('chart-gpu',
        gpus.map((g, i) => ({ label: name(g), color: c[i % c.length], values: byIndex(g, 'utilization') }))));
      chart('chart-gpu-memory', { format: bytes, binary: true }).update(data('chart-gpu-memory',
        gpus.map((g, i) => ({ label: name(g), color: c[i % c.length], values: byIndex(g, 'memoryUsedBytes') }))));
    }
  }

  function setText(id, text) {
    $(id).textContent = text;
  }

  // The trends are the anomaly detection's per-request figures (decode speed, latency), not the tile's
  // aggregate, so the label says which.
  function trendText(label, slope, unit) {
    if (!finite(slope)) return '';
    const arrow = slope > 0 ? '▲' : slope < 0 ? '▼' : '▶';
    return label + ' trend ' + arrow + ' ' + (slope > 0 ? '+' : '') + trimmed(slope, 2) + unit + '/min';
  }

  function renderTiles(m, points) {
    const latest = points[points.length - 1];
    const trends = m.trends || {};
    setText('tile-tokens', latest && finite(latest.tokensPerSecond) ? trimmed(latest.tokensPerSecond, 1) : '–');
    setText('tile-tokens-sub', trendText('decode speed', trends.tokens_per_second, ' tok/s'));
    // The newest interval with a finished request: a quiet interval has no latency, not a zero one.
    const withLatency = [...points].reverse().find((p) => p.latencyMs && finite(p.latencyMs.p95));
    setText('tile-p95', withLatency ? trimmed(withLatency.latencyMs.p95, 1) + ' ms' : '–');
    setText('tile-p95-sub', trendText('request latency', trends.latency, ' ms'));

    const sla = m.sla || {};
    setText('tile-sla', finite(sla.compliance) ? trimmed(sla.compliance * 100, 2) + '%' : '–');
    setText('tile-sla-sub', finite(sla.requestsInWindow) ? 'of ' + sla.requestsInWindow + ' requests in the window' : '');
    setText('tile-violations', finite(sla.violations) ? String(sla.violations) : '–');
    $('tile-violations').parentElement.classList.toggle('bad', sla.violations > 0);
  }

  function renderHealth(health) {
    const overall = (health && health.status) || 'UNKNOWN';
    const badge = $('overall-status');
    badge.dataset.status = overall;
    badge.textContent = overall;
    const items = ((health && health.components) || []).map((c) => {
      const li = document.createElement('li');
      li.dataset.testid = 'health-component';
      li.dataset.status = c.status;
      li.dataset.name = c.name;
      const dot = document.createElement('span');
      dot.className = 'dot';
      dot.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.textContent = c.name;
      const status = document.createElement('span');
      status.className = 'state';
      status.textContent = c.status;
      li.append(dot, name, status);
      const data = Object.entries(c.data || {}).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v));
      if (data.length) {
        const d = document.createElement('span');
        d.className = 'data';
        d.textContent = data.join(', ');
        li.append(d);
      }
      return li;
    });
    $('health').replaceChildren(...items);
  }

  function renderAnomalies(anomalies) {
    $('anomalies-empty').hidden = anomalies.length > 0;
    // Newest first in the list; the JSON has them newest last.
    const items = [...anomalies].reverse().map((a) => {
      const li = document.createElement('li');
      li.dataset.testid = 'anomaly-item';
      const active = a.clearedAt === null || a.clearedAt === undefined;
      li.dataset.active = String(active);
      const up = a.direction === 'up';
      const parts = [
        ['metric', String(a.metric)],
        [up ? 'dir-up' : 'dir-down', (up ? '▲ up' : '▼ down')],
        ['z', 'z = ' + (finite(a.zScore) ? trimmed(a.zScore, 1) : '?')],
        ['values', (finite(a.value) ? compact(a.value) : '?') + ' vs baseline ' + (finite(a.baseline) ? compact(a.baseline) : '?')],
        ['when', active ? 'active since ' + clock(a.t) : clock(a.t) + ', cleared ' + clock(a.clearedAt)],
      ];
      for (const [cls, text] of parts) {
        const span = document.createElement('span');
        span.className = cls;
        span.textContent = text;
        li.append(span);
      }
      return li;
    });
    $('anomalies').replaceChildren(...items);
  }

  function renderMetrics(m) {
    const points = Array.isArray(m.series) ? m.series : [];
    const anomalies = Array.isArray(m.anomalies) ? m.anomalies : [];
    if (finite(m.intervalSeconds) && m.intervalSeconds > 0) state.intervalS = m.intervalSeconds;
    setText('interval', String(state.intervalS));
    setText('service', m.service || '');
    setText('last-updated', 'Updated ' + clock(finite(m.now) ? m.now : Date.now()));
    setText('capture-note', m.contentCapture
      ? 'Content capture is on: span attributes may contain prompt and completion text.'
      : 'Content capture is off: no prompt or completion text is recorded or shown.');

    const sla = m.sla || {};
    const seenRequests = points.some((p) => p.requestsPerSecond > 0) || sla.requestsInWindow > 0 || state.traceCount > 0;
    $('empty-requests').hidden = seenRequests;

    renderTiles(m, points);
    renderHealth(m.health);
    renderCharts(points, anomalies);
    renderAnomalies(anomalies);
  }

  // ---------- traces ----------

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function renderTraces(body) {
    const traces = Array.isArray(body.traces) ? body.traces : [];
    state.traceCount = traces.length;
    $('traces-empty').hidden = traces.length > 0;
    // Rebuilding the rows every refresh would steal keyboard focus; only do it when something changed.
    const key = JSON.stringify(traces);
    if (key === state.tracesKey) return;
    state.tracesKey = key;
    const rows = traces.map((t) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'trace-row';
      tr.dataset.traceId = t.traceId;
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', String(t.traceId === state.openTraceId));
      const tokens = (t.promptTokens ?? '–') + ' / ' + (t.completionTokens ?? '–');
      tr.append(
        cell(finite(t.startMs) ? clock(t.startMs) : ''),
        cell(t.name || ''),
        cell(t.model ?? '–', 'opt'),
        cell(tokens, 'opt'),
        cell(finite(t.durationMs) ? trimmed(t.durationMs, 1) + ' ms' : '', 'num'),
        cell(finite(t.spanCount) ? String(t.spanCount) : '', 'num opt'),
        cell(t.status || '', 'status-' + (t.status === 'ERROR' ? 'ERROR' : 'OK')),
      );
      return tr;
    });
    $('trace-rows').replaceChildren(...rows);
  }

  function onTraceActivate(event) {
    const tr = event.target.closest('tr[data-trace-id]');
    if (!tr) return;
    if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    openTrace(tr.dataset.traceId);
  }

  async function openTrace(id) {
    state.openTraceId = id;
    document.querySelectorAll('#trace-rows tr').forEach((tr) => {
      tr.setAttribute('aria-selected', String(tr.dataset.traceId === id));
    });
    const panel = $('waterfall');
    panel.hidden = false;
    setText('waterfall-heading', 'Trace ' + id.slice(0, 8) + '…');
    setText('waterfall-meta', 'Loading…');
    $('waterfall-rows').replaceChildren();
    $('span-details').hidden = true;
    let trace;
    try {
      const res = await timedFetch(API.trace(id));
      if (res.status === 404) {
        setText('waterfall-meta', 'This trace is no longer kept: the agent holds only the most recent ones.');
        return;
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      trace = await res.json();
    } catch (e) {
      setText('waterfall-meta', 'Could not load the trace (agent endpoint unreachable); click the row to retry.');
      return;
    }
    if (state.openTraceId !== id) return; // another row was clicked meanwhile
    renderWaterfall(trace);
    panel.scrollIntoView({ block: 'nearest' });
  }

  // Depth-first order of the span tree; spans whose parent is not in the trace count as roots.
  function spanTree(spans) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const children = new Map();
    const roots = [];
    for (const s of spans) {
      if (s.parentSpanId && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
        if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
        children.get(s.parentSpanId).push(s);
      } else {
        roots.push(s);
      }
    }
    const byStart = (a, b) => a.startMs - b.startMs;
    const out = [];
    const seen = new Set();
    const visit = (s, depth) => {
      if (seen.has(s.spanId)) return; // guards against a malformed, cyclic parent chain
      seen.add(s.spanId);
      out.push({ span: s, depth });
      (children.get(s.spanId) || []).sort(byStart).forEach((c) => visit(c, depth + 1));
    };
    roots.sort(byStart).forEach((r) => visit(r, 0));
    return out;
  }

  function renderWaterfall(trace) {
    const spans = Array.isArray(trace.spans) ? trace.spans : [];
    const start = Math.min(...spans.map((s) => s.startMs));
    const end = Math.max(...spans.map((s) => s.startMs + (s.durationMs || 0)));
    const total = Math.max(end - start, 1e-6);
    const pct = (v) => Math.min(100, Math.max(0, v)) + '%';

    let meta = spans.length + ' spans, ' + trimmed(spans.length ? total : 0, 1) + ' ms, trace id ' + trace.traceId;
    if (trace.droppedSpans > 0) meta += ' (' + trace.droppedSpans + ' spans dropped)';
    setText('waterfall-meta', spans.length ? meta : 'This trace has no spans.');

    const rows = spanTree(spans).map(({ span, depth }) => {
      const row = document.createElement('div');
      row.className = 'wf-row';
      const label = document.createElement('div');
      label.className = 'wf-label';
      // Indent by depth, capped so deep trees stay readable on a phone.
      label.style.paddingLeft = Math.min(depth, 8) * 12 + 'px';
      label.textContent = span.name + ' ';
      const dur = document.createElement('span');
      dur.className = 'ms';
      dur.textContent = trimmed(span.durationMs || 0, 2) + ' ms';
      label.append(dur);
      label.title = span.name;

      const track = document.createElement('div');
      track.className = 'wf-track';
      const bar = document.createElement('button');
      bar.type = 'button';
      bar.className = 'wf-bar';
      bar.dataset.testid = 'waterfall-span';
      bar.dataset.spanId = span.spanId;
      bar.dataset.status = span.status === 'ERROR' ? 'ERROR' : 'OK';
      bar.setAttribute('aria-pressed', 'false');
      bar.setAttribute('aria-label', span.name + ', ' + trimmed(span.durationMs || 0, 2) + ' ms, ' + bar.dataset.status);
      bar.style.left = pct(((span.startMs - start) / total) * 100);
      bar.style.width = pct(((span.durationMs || 0) / total) * 100);
      bar.addEventListener('click', () => showSpan(span, start, bar));
      track.append(bar);
      for (const ev of span.events || []) {
        const tick = document.createElement('div');
        tick.className = 'wf-event';
        tick.title = ev.name;
        tick.style.left = pct(((ev.timeMs - start) / total) * 100);
        track.append(tick);
      }
      row.append(label, track);
      return row;
    });
    $('waterfall-rows').replaceChildren(...rows);
  }

  function showSpan(span, traceStart, bar) {
    document.querySelectorAll('.wf-bar[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    bar.setAttribute('aria-pressed', 'true');
    setText('span-details-title', span.name + ' (' + (span.kind || 'INTERNAL') + ', ' + (span.status || 'OK') + ')');
    const rows = [
      ['span id', span.spanId],
      ['parent span id', span.parentSpanId || '(root)'],
      ['starts at', '+' + trimmed(span.startMs - traceStart, 3) + ' ms'],
      ['duration', trimmed(span.durationMs || 0, 3) + ' ms'],
    ];
    for (const [k, v] of Object.entries(span.attributes || {}).sort(([a], [b]) => a.localeCompare(b))) {
      rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    }
    for (const ev of span.events || []) {
      const attrs = Object.keys(ev.attributes || {}).length ? ' ' + JSON.stringify(ev.attributes) : '';
      rows.push(['event ' + ev.name, '+' + trimmed(ev.timeMs - traceStart, 3) + ' ms' + attrs]);
    }
    $('span-attrs').replaceChildren(...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = k;
      tr.append(th, cell(v));
      return tr;
    }));
    $('span-details').hidden = false;
  }

  function closeWaterfall() {
    state.openTraceId = null;
    $('waterfall').hidden = true;
    document.querySelectorAll('#trace-rows tr').forEach((tr) => tr.setAttribute('aria-selected', 'false'));
  }

  // ---------- refresh loop ----------

  async function timedFetch(url) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), FETCH_TIMEOUT_MS);
    try {
      return await fetch(url, { cache: 'no-store', signal: ctrl.signal, headers: { Accept: 'application/json' } });
    } finally {
      clearTimeout(timer);
    }
  }

  async function getJson(url) {
    const res = await timedFetch(url);
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return res.json();
  }

  async function refresh() {
    let metrics;
    let traces;
    try {
      [metrics, traces] = await Promise.all([getJson(API.metrics), getJson(API.traces)]);
    } catch (e) {
      // Expected while the agent restarts: say so on the page and try again next tick, without console noise.
      $('unreachable').hidden = false;
      return;
    }
    $('unreachable').hidden = true;
    renderTraces(traces);
    renderMetrics(metrics);
  }

  async function loop() {
    try {
      await refresh();
    } finally {
      setTimeout(loop, state.intervalS * 1000);
    }
  }

  function start() {
    $('trace-rows').addEventListener('click', onTraceActivate);
    $('trace-rows').addEventListener('keydown', onTraceActivate);
    $('waterfall-close').addEventListener('click', closeWaterfall);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !$('waterfall').hidden) closeWaterfall();
    });
    loop();
  }

  start();
})();
