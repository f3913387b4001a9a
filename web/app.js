// wgtrack dashboard: plain JavaScript, no framework, nothing from the internet. Reads the JSON
// API (docs/api.md): /api/v1/status (polled), /api/v1/events (polled with `since`) and, for a
// peer's charts and timeline, /api/v1/history/{key} when the daemon keeps a history (else the
// samples this page collected since it was opened). The peer list is virtualised: only the rows
// in view exist in the DOM, so 10,000 peers stay responsive.
"use strict";

// probes.target_source codes (docs/api.md) in words.
const PROBE_SOURCES = {
  configured: "probe_target", configured_outside_allowed_ips: "probe_target, outside the allowed IPs",
  host_allowed_ip: "its /32 or /128 allowed IP", wg_quick_address: "the address in its wg-quick AllowedIPs",
  interface_dns: "the interface's DNS server", disabled: "probe_target = none",
  none: "no address names the peer: set probe_target",
};
const STATES = ["down", "stale", "never", "idle", "up"];  // sort order: trouble first
const $ = (id) => document.getElementById(id);
const state = {
  peers: [],          // flat list of {iface, p} from the last status
  view: [],           // filtered + sorted
  filter: "",
  only: new Set(),    // states shown; empty = all
  selected: 0,        // index into view (keyboard)
  detailKey: null,
  samples: new Map(), // key -> [{t, rx, tx, rtt}] collected by this page (fallback charts)
  events: [], eventsSince: 0, eventsEpoch: null,
  takenAt: 0, pollMs: 2000, timer: null,
};

// ---- formatting -------------------------------------------------------------------------
const esc = (s) => String(s ?? "").replace(/[&<>"']/g,
  (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
function rate(bps) {
  if (bps === null || bps === undefined) return "–";
  const u = ["B/s", "KiB/s", "MiB/s", "GiB/s"];
  let v = bps, i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(1) : Math.round(v)) + " " + u[i];
}
function bytes(n) {
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n, i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(2) : v) + " " + u[i];
}
function age(sec) {
  if (sec === null || sec === undefined) return "never";
  if (sec < 60) return sec + " s";
  if (sec < 3600) return Math.floor(sec / 60) + " min";
  if (sec < 86400) return Math.floor(sec / 3600) + " h " + Math.floor((sec % 3600) / 60) + " min";
  return Math.floor(sec / 86400) + " d";
}
const shortKey = (k) => k.slice(0, 8) + "…";
const badge = (s) => `<span class="badge s-${esc(s)}">${esc(s)}</span>`;
const keyPath = (k) => k.replace(/\+/g, "-").replace(/\//g, "_");  // URL-safe base64 (api.md)

// ---- data ---------------------------------------------------------------------------------
async function getJson(url) {
  const r = await fetch(url, {cache: "no-store", credentials: "same-origin"});
  if (!r.ok) throw new Error(url + ": HTTP " + r.status);
  return r.json();
}

async function pollStatus() {
  try {
    const s = await getJson("/api/v1/status");
    state.takenAt = s.taken_at_unix;
    const peers = [];
    for (const i of s.interfaces) for (const p of i.peers) peers.push({iface: i.name, p});
    state.peers = peers;
    // 2 s for a small host, slower for a hub: the document grows with the peers.
    state.pollMs = peers.length > 5000 ? 10000 : peers.length > 1000 ? 5000 : 2000;
    collectSamples(peers);
    summarize(s);
    applyFilter();
    if (state.detailKey) renderDetail();
    // For tests and the curious: when the first list was on screen (ms since navigation).
    if (window.wgtrackFirstRender === undefined) window.wgtrackFirstRender = performance.now();
    $("updated").textContent = "updated " + new Date(s.taken_at).toLocaleTimeString();
  } catch (e) {
    $("updated").textContent = "cannot reach the daemon (" + e.message + "), retrying";
  }
  await pollEvents();
  state.timer = setTimeout(pollStatus, state.pollMs);
}

async function pollEvents() {
  try {
    const r = await getJson("/api/v1/events?since=" + state.eventsSince);
    if (state.eventsEpoch !== null && (r.epoch !== state.eventsEpoch || r.reset)) state.events = [];
    state.eventsEpoch = r.epoch;
    state.events.push(...r.events);
    if (state.events.length > 5000) state.events.splice(0, state.events.length - 5000);
    state.eventsSince = r.next_since;
  } catch (e) { /* the status poll already says the daemon is away */ }
}

function collectSamples(peers) {
  // Only for the peer being looked at (and a few recent ones): a hub's page must stay light.
  for (const {p} of peers) {
    if (p.public_key !== state.detailKey && !state.samples.has(p.public_key)) continue;
    const list = state.samples.get(p.public_key) || [];
    list.push({t: state.takenAt, rx: p.rx_bytes_per_second, tx: p.tx_bytes_per_second,
               rtt: p.probes.last_rtt_ms});
    if (list.length > 1800) list.shift();
    state.samples.set(p.public_key, list);
  }
}

function summarize(s) {
  const counts = {up: 0, idle: 0, stale: 0, down: 0, never: 0};
  for (const i of s.interfaces) for (const k in counts) counts[k] += i.peer_counts[k] || 0;
  const n = state.peers.length;
  const trouble = counts.down + counts.stale;
  $("summary").textContent = `${s.interfaces.length} interface${s.interfaces.length === 1 ? "" : "s"}, ` +
    `${n} peer${n === 1 ? "" : "s"}: ` + STATES.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(", ") +
    (trouble ? "" : " — all good");
  const group = $("states");
  if (!group.childElementCount) {
    for (const k of STATES) {
      const b = document.createElement("button");
      b.type = "button"; b.dataset.state = k; b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => {
        if (state.only.has(k)) state.only.delete(k); else state.only.add(k);
        b.setAttribute("aria-pressed", String(state.only.has(k)));
        applyFilter();
      });
      group.appendChild(b);
    }
  }
  for (const b of group.children) b.textContent = `${b.dataset.state} ${counts[b.dataset.state]}`;
}

// ---- the virtualised list ------------------------------------------------------------------
function applyFilter() {
  const f = state.filter.toLowerCase();
  const only = state.only;
  state.view = state.peers.filter(({iface, p}) =>
    (!only.size || only.has(p.state)) &&
    (!f || (p.name || "").toLowerCase().includes(f) || p.public_key.toLowerCase().includes(f) ||
     (p.endpoint || "").includes(f) || iface.toLowerCase().includes(f)));
  state.view.sort((a, b) => STATES.indexOf(a.p.state) - STATES.indexOf(b.p.state) ||
    (a.p.name || "~" + a.p.public_key).localeCompare(b.p.name || "~" + b.p.public_key));
  state.selected = Math.min(state.selected, Math.max(0, state.view.length - 1));
  $("table").setAttribute("aria-rowcount", String(state.view.length + 1));
  $("empty").hidden = state.view.length > 0 || state.peers.length === 0;
  renderRows();
}

function rowHeight() {
  return parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--row-h")) || 40;
}

function renderRows() {
  const vp = $("viewport"), h = rowHeight();
  $("spacer").style.height = state.view.length * h + "px";
  const first = Math.max(0, Math.floor(vp.scrollTop / h) - 5);
  const last = Math.min(state.view.length, Math.ceil((vp.scrollTop + vp.clientHeight) / h) + 5);
  const html = [];
  for (let i = first; i < last; i++) {
    const {iface, p} = state.view[i];
    html.push(`<div class="row" role="row" aria-rowindex="${i + 2}" data-i="${i}" ` +
      `aria-selected="${i === state.selected}" style="top:${i * h}px">` +
      `<span role="gridcell" class="c-state">${badge(p.state)}</span>` +
      `<span role="gridcell" class="c-name" title="${esc(p.public_key)}">${esc(p.name || shortKey(p.public_key))}` +
      ` <span class="sub">${esc(iface)}</span></span>` +
      `<span role="gridcell" class="c-ep">${esc(p.endpoint || "no endpoint")}</span>` +
      `<span role="gridcell" class="c-hs">${esc(age(p.handshake_age_seconds))}</span>` +
      `<span role="gridcell" class="c-rate rx">↓ ${esc(rate(p.rx_bytes_per_second))}</span>` +
      `<span role="gridcell" class="c-rate">↑ ${esc(rate(p.tx_bytes_per_second))}</span></div>`);
  }
  $("rows").innerHTML = html.join("");
}

function open(i) {
  const row = state.view[i];
  if (row) location.hash = "#/peer/" + keyPath(row.p.public_key);
}

function onKey(e) {
  if (!state.view.length) return;
  const pageRows = Math.max(1, Math.floor($("viewport").clientHeight / rowHeight()) - 1);
  const moves = {ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows,
                 Home: -Infinity, End: Infinity};
  if (e.key === "Enter") { open(state.selected); e.preventDefault(); return; }
  if (!(e.key in moves)) return;
  e.preventDefault();
  state.selected = Math.max(0, Math.min(state.view.length - 1, state.selected + moves[e.key]));
  const vp = $("viewport"), h = rowHeight(), top = state.selected * h;
  if (top < vp.scrollTop) vp.scrollTop = top;
  else if (top + h > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + h - vp.clientHeight;
  renderRows();
}

// ---- peer detail -------------------------------------------------------------------------
function findPeer(key) {
  return state.peers.find(({p}) => p.public_key === key || keyPath(p.public_key) === key);
}

async function showDetail(key) {
  state.detailKey = null;
  const found = findPeer(key);
  state.detailKey = found ? found.p.public_key : key;
  $("overview").hidden = true;
  $("detail").hidden = false;
  if (!state.samples.has(state.detailKey)) state.samples.set(state.detailKey, []);
  state.history = null;
  renderDetail();
  $("peer-title").focus?.();
  try {
    state.history = await getJson("/api/v1/history/" + keyPath(state.detailKey) + "?since=24h");
    renderDetail();
  } catch (e) { /* no history kept: the page's own samples are drawn */ }
}

function renderDetail() {
  const found = findPeer(state.detailKey);
  if (!found) {
    $("peer-title").textContent = "Peer " + shortKey(state.detailKey || "");
    $("peer-state").textContent = "Not on any interface (removed, or not loaded yet).";
    return;
  }
  const {iface, p} = found;
  $("peer-title").textContent = (p.name || shortKey(p.public_key)) + " on " + iface;
  $("peer-state").innerHTML = `${badge(p.state)} since ${esc(new Date(p.state_since).toLocaleString())}` +
    (p.reason ? ` — ${esc(p.reason)}` : "");
  const facts = [
    ["Public key", p.public_key], ["Endpoint", p.endpoint || "none"],
    ["Allowed IPs", p.allowed_ips.join(", ") || "none"],
    ["Last handshake", p.last_handshake ? `${new Date(p.last_handshake).toLocaleString()} (${age(p.handshake_age_seconds)} ago)` : "never"],
    ["Received", `${bytes(p.rx_bytes)} (${rate(p.rx_bytes_per_second)})`],
    ["Sent", `${bytes(p.tx_bytes)} (${rate(p.tx_bytes_per_second)})`],
    ["Probes", `${p.probes.sent} sent, ${p.probes.lost} lost, last RTT ` +
      (p.probes.last_rtt_ms === null ? "–" : p.probes.last_rtt_ms.toFixed(2) + " ms")],
    ["Probe target", p.probes.target ? `${p.probes.target} (${PROBE_SOURCES[p.probes.target_source] || p.probes.target_source})`
      : `none (${PROBE_SOURCES[p.probes.target_source] || p.probes.target_source})`],
    ["Persistent keepalive", p.persistent_keepalive ? p.persistent_keepalive + " s" : "off"],
    ["Endpoint changes", Object.entries(p.endpoint_changes).map(([k, v]) => `${k} ${v}`).join(", ")],
  ];
  $("peer-facts").innerHTML = facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  renderRecovery(p.recovery);
  const samples = state.history ? state.history.samples : state.samples.get(p.public_key) || [];
  const from = state.history ? "history of the last 24 h" : "since this page was opened";
  drawChart($("chart-traffic"), samples, [["rx", "--up", "receive"], ["tx", "--never", "send"]], rate);
  $("traffic-caption").textContent = `Bytes per second, ${from}. Green: receive; violet: send.`;
  // The history keeps traffic, not round-trip times: those are the page's own samples.
  drawChart($("chart-rtt"), state.samples.get(p.public_key) || [], [["rtt", "--stale", "rtt"]],
            (v) => v.toFixed(1) + " ms");
  $("rtt-caption").textContent = "Last in-tunnel probe round-trip time, since this page was opened.";
  const evs = (state.history ? state.history.events : state.events)
    .filter((e) => e.peer === p.public_key && e.interface === iface).slice(-50).reverse();
  $("timeline").innerHTML = evs.length ? evs.map((e) =>
    `<li><time datetime="${esc(e.time)}">${esc(new Date(e.time).toLocaleString())}</time>` +
    `<strong>${esc(e.event.replace(/_/g, " "))}</strong> ` +
    (e.old_status ? `${esc(e.old_status)} → ` : "") + esc(e.status || "") +
    (e.event === "endpoint_changed" ? ` ${esc(e.old_endpoint || "none")} → ${esc(e.endpoint || "none")}` : "") +
    (e.reason ? ` <span class="sub">(${esc(e.reason)})</span>` : "") + "</li>").join("")
    : `<li class="muted">No events for this peer ${state.history ? "in the last 24 h" : "since the daemon started"}.</li>`;
}

function renderRecovery(r) {
  if (!r) {
    $("recovery").innerHTML = `<p class="muted">No endpoint recovery: the peer has no endpoint host name or candidate list.</p>`;
    return;
  }
  const last = r.last_switch;
  $("recovery").innerHTML =
    `<p>Phase: <strong>${esc(r.phase)}</strong>` +
    (last ? `. Last switch: ${esc(last.from || "none")} → ${esc(last.to)} (${esc(last.reason)}, ` +
      `${esc(last.outcome)}) at ${esc(new Date(last.at).toLocaleString())}` : ". No switch yet") + "</p>" +
    `<table class="cands"><caption class="sr-only">Candidate endpoints</caption><thead><tr>` +
    `<th scope="col">Candidate</th><th scope="col">Host</th><th scope="col">ICMP</th>` +
    `<th scope="col">Failures</th><th scope="col">Back-off until</th></tr></thead><tbody>` +
    r.candidates.map((c) => `<tr><td>${esc(c.endpoint)}${c.current ? " <strong>(current)</strong>" : ""}</td>` +
      `<td>${esc(c.host)}</td><td>${esc(c.probe)}</td><td>${c.failures}</td>` +
      `<td>${c.backoff_until ? esc(new Date(c.backoff_until).toLocaleTimeString()) : "–"}</td></tr>`).join("") +
    `</tbody></table>` +
    r.hosts.filter((h) => h.error).map((h) => `<p>DNS ${esc(h.host)}: ${esc(h.error)}${h.permanent ? " (permanent)" : ""}</p>`).join("");
}

function drawChart(canvas, samples, series, fmt) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return;  // not on screen
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext("2d");
  g.scale(dpr, dpr);
  const css = getComputedStyle(document.documentElement);
  g.fillStyle = css.getPropertyValue("--muted");
  g.font = "12px system-ui";
  const pts = samples.filter((s) => series.some(([k]) => s[k] !== null && s[k] !== undefined));
  if (pts.length < 2) { g.fillText("Not enough data yet.", 10, 20); return; }
  const t0 = pts[0].t, t1 = pts[pts.length - 1].t || t0 + 1;
  let max = 0;
  for (const s of pts) for (const [k] of series) max = Math.max(max, s[k] || 0);
  max = max || 1;
  const x = (t) => 50 + (w - 60) * (t - t0) / Math.max(1, t1 - t0);
  const y = (v) => h - 20 - (h - 30) * v / max;
  g.fillText(fmt(max), 4, 14);
  g.fillText(new Date(t0 * 1000).toLocaleTimeString(), 50, h - 4);
  const end = new Date(t1 * 1000).toLocaleTimeString();
  g.fillText(end, w - 10 - g.measureText(end).width, h - 4);
  for (const [k, colour] of series) {
    g.strokeStyle = css.getPropertyValue(colour);
    g.lineWidth = 2;
    g.beginPath();
    let started = false;
    for (const s of pts) {
      if (s[k] === null || s[k] === undefined) { started = false; continue; }
      if (started) g.lineTo(x(s.t), y(s[k])); else g.moveTo(x(s.t), y(s[k]));
      started = true;
    }
    g.stroke();
  }
}

// ---- routing and wiring -------------------------------------------------------------------
function route() {
  const m = location.hash.match(/^#\/peer\/(.+)$/);
  if (m) { showDetail(decodeURIComponent(m[1])); return; }
  state.detailKey = null;
  $("detail").hidden = true;
  $("overview").hidden = false;
  renderRows();
}

$("search").addEventListener("input", (e) => { state.filter = e.target.value; applyFilter(); });
$("viewport").addEventListener("scroll", () => requestAnimationFrame(renderRows), {passive: true});
$("rows").addEventListener("click", (e) => {
  const row = e.target.closest(".row");
  if (row) { state.selected = +row.dataset.i; open(state.selected); }
});
$("table").addEventListener("keydown", onKey);
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && document.activeElement !== $("search")) { e.preventDefault(); $("search").focus(); }
  if (e.key === "Escape" && state.detailKey) location.hash = "#/";
});
window.addEventListener("hashchange", route);
window.addEventListener("resize", () => requestAnimationFrame(renderRows));
route();
pollStatus();
