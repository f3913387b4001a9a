// The dashboard in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the page shows the demo peer up, then down after the path is broken — without a reload — and
// up again after it heals; the peer's detail page has its facts and timeline; keyboard works.
// Screenshots are saved as test artefacts. Then, with many peers, the first render time.
// Usage: node dashboard.mjs --url http://127.0.0.1:9586/ --out DIR --peer NAME
//          --break "CMD" --heal "CMD" [--many N]     (prints TAP lines; exit 1 on failure)
import { chromium } from "playwright-core";
import { execSync } from "node:child_process";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
let n = 0, failed = 0;
const ok = (cond, what) => { n++; if (!cond) failed++; console.log(`${cond ? "ok" : "not ok"} ${n} - ${what}`); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(args.url.replace(/\/$/, ""))) external.push(r.url()); });

  await page.goto(args.url);
  const row = page.locator("#rows .row", { hasText: args.peer });
  const badgeOf = () => row.locator(".badge").first().textContent();
  await row.waitFor({ timeout: 10000 });
  ok((await badgeOf()) === "up", `the peer '${args.peer}' is shown up`);
  await page.screenshot({ path: `${args.out}/dashboard-up.png`, fullPage: true });

  const navigations = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  execSync(args.break);
  const t0 = Date.now();
  await page.locator("#rows .row .badge.s-down").first().waitFor({ timeout: 20000 }).catch(() => {});
  ok((await badgeOf()) === "down", `down shown ${Date.now() - t0} ms after the path broke, live`);
  ok(navigations.length === 0, "no page reload was needed");
  ok((await page.locator("#summary").textContent()).includes("1 down"), "the summary says 1 down");
  await page.screenshot({ path: `${args.out}/dashboard-down.png`, fullPage: true });

  // Keyboard: focus the list, Enter opens the selected (first: the down peer) detail.
  await page.locator("#table").focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("Enter");
  await page.locator("#detail").waitFor({ state: "visible", timeout: 5000 });
  ok((await page.locator("#peer-title").textContent()).includes(args.peer), "Enter opens the peer's detail");
  await page.locator("#timeline li", { hasText: "status change" }).first().waitFor({ timeout: 10000 }).catch(() => {});
  const timeline = await page.locator("#timeline").textContent();
  ok(timeline.includes("status change") && timeline.includes("down"), "the timeline shows the status change to down");
  ok((await page.locator("#peer-facts").textContent()).includes("Allowed IPs"), "the peer's facts are listed");
  await page.screenshot({ path: `${args.out}/dashboard-detail.png`, fullPage: true });
  await page.keyboard.press("Escape");
  await page.locator("#overview").waitFor({ state: "visible", timeout: 5000 });

  execSync(args.heal);
  const t1 = Date.now();
  await row.locator(".badge.s-up").waitFor({ timeout: 30000 }).catch(() => {});
  ok((await badgeOf()) === "up", `up again ${Date.now() - t1} ms after the path healed`);

  // Phone-sized screen: still readable (two-line rows, no horizontal scrolling).
  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  ok(!overflow, "no horizontal scrolling on a 390 px wide screen");
  await page.screenshot({ path: `${args.out}/dashboard-phone.png` });
  await page.setViewportSize({ width: 1200, height: 800 });

  if (args.many) {
    execSync(args.many);
    // Let the daemon read them, then measure a fresh page's first render.
    await page.waitForTimeout(3000);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(args.url + "?r=" + i);
      await page.waitForFunction(() => window.wgtrackFirstRender !== undefined, null, { timeout: 20000 });
      runs.push(await page.evaluate(() => window.wgtrackFirstRender));
    }
    const rows = await page.locator("#table").getAttribute("aria-rowcount");
    runs.sort((a, b) => a - b);
    console.log(`# first render with ${rows - 1} peers: ${runs.map((r) => r.toFixed(0)).join(", ")} ms (median ${runs[1].toFixed(0)})`);
    ok(runs[1] <= 1000, `first render with ${rows - 1} peers within 1 s (median ${runs[1].toFixed(0)} ms)`);
    const inDom = await page.locator("#rows .row").count();
    ok(inDom < 200, `virtualised: ${inDom} rows in the DOM for ${rows - 1} peers`);
    const t2 = Date.now();
    await page.locator("#search").fill(args.peer);
    await page.locator("#rows .row .c-name", { hasText: new RegExp(`^${args.peer}\\s`) })
      .first().waitFor({ timeout: 5000 });
    const left = Number(await page.locator("#table").getAttribute("aria-rowcount")) - 1;
    ok(left < 50, `search narrows ${rows - 1} peers to ${left} matching '${args.peer}' in ${Date.now() - t2} ms`);
    await page.screenshot({ path: `${args.out}/dashboard-many.png` });
  }
  ok(errors.length === 0, "no JavaScript errors" + (errors.length ? ": " + errors.join("; ") : ""));
  ok(external.length === 0, "nothing loaded from anywhere else" + (external.length ? ": " + external.join(" ") : ""));
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
