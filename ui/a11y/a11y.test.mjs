// Accessibility check: the browser build of the UI (Tauri calls answered
// by @tauri-apps/api/mocks) at a phone-sized viewport in headless Debian
// Chromium, every screen in light and dark mode, through axe-core. Fails
// on any serious or critical violation. Never downloads a browser.
//
// Run: npm run build:mock && node a11y/a11y.test.mjs

import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const UI = path.resolve(new URL("..", import.meta.url).pathname);
const DIST = path.join(UI, "dist-mock");
const ARTIFACTS = path.resolve(UI, "../artifacts/a11y");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };

// Each page: the scenario, the route, and an optional action before the check.
const PAGES = [
  ["enrol", "fresh", "#/enrol"],
  ["enrol-error", "fresh", "#/enrol", async (p) => {
    await p.fill("#enrol-url", "https://feltlogg.example");
    await p.fill("#enrol-code", "FEIL");
    await p.click("#enrol-submit");
    await p.waitForSelector("#enrol-error:not(:empty)");
  }],
  ["home", "enrolled", "#/home"],
  ["start", "enrolled", "#/start"],
  ["start-refused", "enrolled", "#/start", async (p) => {
    await p.click("#start-submit");
    await p.waitForSelector("#start-error:not(:empty)");
  }],
  ["shift-open", "enrolled", "#/shift/s-open"],
  ["shift-paused", "enrolled", "#/shift/s-paused"],
  ["shift-returned", "enrolled", "#/shift/s-returned"],
  ["shift-approved", "enrolled", "#/shift/s-approved"],
  ["encounter-new", "enrolled", "#/shift/s-open/encounter/new"],
  ["encounter-refused", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    await p.fill("#note", "Ring 912 34 567");
    await p.click("#save-encounter");
    await p.waitForSelector("#note-error:not(:empty)");
    const said = await p.textContent("#note-error");
    if (!said.includes("telefonnummer")) throw new Error(`refusal does not name the finding: ${said}`);
    await expectMarks(p, "#note-flagged", ["912 34 567"]);
    await expectFocusedFix(p, "#note-fix", "Bytt ut med [telefon]");
  }],
  ["encounter-refused-several", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    // The emoji is two UTF-16 units but one character: the marks must still
    // sit exactly on what core's character offsets say.
    await p.fill("#note", "🙂 Ola (15) sa «ring meg på 912 34 567» før han gikk");
    await p.click("#save-encounter");
    await expectMarks(p, "#note-flagged", ["Ola", "912 34 567"]);
    await expectFocusedFix(p, "#note-fix", "Bytt ut alle 2 markerte");
  }],
  ["encounter-fixed", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    await p.fill("#note", "Ola (15) sa «ring meg på 912 34 567» før han gikk");
    await p.click("#save-encounter");
    await p.click("#note-fix");
    await p.waitForSelector("#note-fixed:not(:empty)");
    const value = await p.inputValue("#note");
    if (value !== "[navn] (15) sa «ring meg på [telefon]» før han gikk") throw new Error(`fixed note: ${value}`);
    if (!(await p.evaluate(() => document.activeElement?.id === "note"))) throw new Error("the note is not focused after the fix");
    if (await p.$("#note-error mark")) throw new Error("the marks stay after the fix");
  }],
  ["encounter-referrals", "enrolled", "#/shift/s-open/encounter/e1", async (p) => {
    await p.click("#open-referral");
  }],
  ["referral-note-refused", "enrolled", "#/shift/s-open/encounter/e1", async (p) => {
    await p.click("#open-referral");
    await p.click("fieldset[data-field='service'] label[data-value='nav']");
    await p.fill("#referral-note", "Ring 912 34 567 etter skolen");
    await p.click("#add-referral");
    await expectMarks(p, "#referral-note-flagged", ["912 34 567"]);
    await expectFocusedFix(p, "#referral-note-fix", "Bytt ut med [telefon]");
    await p.click("#referral-note-fix");
    const value = await p.inputValue("#referral-note");
    if (value !== "Ring [telefon] etter skolen") throw new Error(`fixed referral note: ${value}`);
  }],
  ["referral-old-note-refused", "enrolled", "#/shift/s-open/encounter/e1", async (p) => {
    // An old note blocks a status change: marked, and the fix saves the
    // status with the note fixed (the command screens it again).
    await p.selectOption("select[data-referral-id='r2']", "made");
    await expectMarks(p, "#referral-r2-flagged", ["Ola"]);
    await expectFocusedFix(p, "#referral-r2-fix", "Bytt ut med [navn]");
    await p.click("#referral-r2-fix");
    await p.waitForFunction(() => window.fixedReferralNotes.length === 1);
    const saved = await p.evaluate(() => window.fixedReferralNotes[0]);
    if (saved !== "[navn] vil ha time hos NAV") throw new Error(`saved referral note: ${saved}`);
    await p.waitForSelector("#referral-r2-flagged", { state: "detached" });
  }],
  ["encounter-delete", "enrolled", "#/shift/s-open/encounter/e1", async (p) => {
    await p.click("#delete-encounter");
    await p.waitForSelector("#delete-question:not([hidden])");
  }],
  ["encounter-approved", "enrolled", "#/shift/s-approved/encounter/e1"],
  ["close", "enrolled", "#/shift/s-open/close"],
  ["close-refused", "enrolled", "#/shift/s-open/close", async (p) => {
    await p.fill("#reflection", "Bra kveld. Ola vil at vi ringer 912 34 567 i morgen.");
    await p.click("#close-submit");
    await expectMarks(p, "#reflection-flagged", ["Ola", "912 34 567"]);
    await expectFocusedFix(p, "#reflection-fix", "Bytt ut alle 2 markerte");
  }],
  ["start-area-refused", "enrolled", "#/start", async (p) => {
    await p.fill("#area-note", "Hjemme hos Ola");
    await p.click("#start-submit");
    await expectMarks(p, "#area-note-flagged", ["Ola"]);
    await expectFocusedFix(p, "#area-note-fix", "Bytt ut med [navn]");
  }],
  ["encounter-refused-english", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    await p.click("#lang");
    await p.waitForFunction(() => document.documentElement.lang === "en");
    await p.waitForSelector("#note");
    await p.fill("#note", "Ola said to ring 912 34 567");
    await p.click("#save-encounter");
    await expectMarks(p, "#note-flagged", ["Ola", "912 34 567"]);
    await expectFocusedFix(p, "#note-fix", "Replace all 2 marked");
    const said = await p.textContent("#note-error");
    if (!said.includes("a name and a phone number")) throw new Error(`refusal does not name both findings: ${said}`);
  }],
  ["refused", "enrolled", "#/home", async (p) => {
    await p.click("#sync-refused");
    await p.waitForSelector("#refusals [data-code='shift_locked']");
    const said = await p.textContent("#refusals");
    if (!said.includes("Be teamleder sende vakten tilbake")) throw new Error(`shift_locked not explained: ${said}`);
    if (!said.includes("Serveren tok ikke inn endringen")) throw new Error(`no fallback for a refusal without code: ${said}`);
  }],
  ["home-english", "enrolled", "#/home", async (p) => {
    await p.click("#lang");
    await p.waitForFunction(() => document.documentElement.lang === "en");
  }],
];

/** The refused text shows exactly `spans`, in order, each in a visible <mark>. */
async function expectMarks(p, sel, spans) {
  await p.waitForSelector(`${sel} mark`);
  const marks = await p.$$eval(`${sel} mark`, (ms) => ms.map((m) => ({ text: m.textContent, w: m.getBoundingClientRect().width })));
  const got = marks.map((m) => m.text);
  if (JSON.stringify(got) !== JSON.stringify(spans)) throw new Error(`marks ${JSON.stringify(got)}, expected ${JSON.stringify(spans)}`);
  if (marks.some((m) => m.w === 0)) throw new Error("a mark is not visible");
}

/** One fix button, labelled `label`, holding focus. */
async function expectFocusedFix(p, sel, label) {
  const text = (await p.textContent(sel))?.trim();
  if (text !== label) throw new Error(`fix button says ${JSON.stringify(text)}, expected ${JSON.stringify(label)}`);
  if (!(await p.evaluate((s) => document.activeElement === document.querySelector(s), sel))) throw new Error(`${sel} is not focused`);
  if ((await p.$$("button.fix")).length !== 1) throw new Error("more than one fix button");
}

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const file = path.join(DIST, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function check(browser, base, scheme, [name, scenario, hash, action]) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    colorScheme: scheme, locale: "nb-NO",
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${base}/a11y/mock.html?scenario=${scenario}${hash}`);
    await page.waitForSelector("body[data-ready='true']", { timeout: 10000 });
    await page.waitForSelector("#screen-title");
    if (action) await action(page);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${scheme}.png`), fullPage: true });
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    if (bad.length) {
      const lines = bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")})`);
      throw new Error(`axe found ${bad.length} serious/critical violation(s):\n${lines.join("\n")}`);
    }
    const minor = result.violations.length;
    return minor ? `${minor} minor/moderate finding(s)` : "clean";
  } finally {
    await context.close();
  }
}

mkdirSync(ARTIFACTS, { recursive: true });
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
let passed = 0;
let failed = 0;
for (const scheme of ["light", "dark"]) {
  for (const p of PAGES) {
    try {
      const note = await check(browser, base, scheme, p);
      passed += 1;
      console.log(`ok   a11y ${p[0]} (${scheme}): ${note}`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL a11y ${p[0]} (${scheme}): ${e.message}`);
    }
  }
}
await browser.close();
server.close();
console.log(`screenshots: ${ARTIFACTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
