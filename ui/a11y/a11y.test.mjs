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
    if (await p.$("#note-not-person")) throw new Error("a phone number offers \"Dette er ikke en person\"");
  }],
  ["encounter-refused-several", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    // The emoji is two UTF-16 units but one character: the marks must still
    // sit exactly on what core's character offsets say.
    await p.fill("#note", "🙂 Ola (15) sa «ring meg på 912 34 567» før han gikk");
    await p.click("#save-encounter");
    await expectMarks(p, "#note-flagged", ["Ola", "912 34 567"]);
    await expectFocusedFix(p, "#note-fix", "Bytt ut alle 2 markerte");
    if (await p.$("#note-not-person")) throw new Error("a name beside a phone number offers \"Dette er ikke en person\"");
  }],
  ["encounter-live-marks", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    // Before anyone presses save: the screen's finds, marked and in words.
    await p.type("#note", "Ola (15) sa «ring meg på 912 34 567»");
    await p.waitForSelector("#note-live-text:not([hidden]) mark");
    await expectMarks(p, "#note-live-text", ["Ola", "912 34 567"]);
    await expectMarksInWords(p, "#note-live-text");
    const said = await p.textContent("#note-live");
    if (!said.includes("et navn og et telefonnummer")) throw new Error(`live line does not name the finds: ${said}`);
    if ((await p.getAttribute("#note-live", "role")) !== "status") throw new Error("the live line is not a status region");
    const described = (await p.getAttribute("#note", "aria-describedby")) ?? "";
    if (!described.split(" ").includes("note-live")) throw new Error(`the note is not described by its live line: ${described}`);
    if (await p.$("#note-error mark")) throw new Error("a refusal before save");
    await p.fill("#note", "tre jenter i parken");
    await p.waitForFunction(() => document.querySelector("#note-live")?.textContent?.includes("finner ikke noe"));
    if (await p.$("#note-live-text mark")) throw new Error("the marks stay on a clean text");
  }],
  ["encounter-not-a-person", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    // Only a name: the big fix stays the default, "Dette er ikke en person" is the smaller second.
    await p.fill("#note", "Ola (15) var med i dag");
    await p.click("#save-encounter");
    await expectMarks(p, "#note-flagged", ["Ola"]);
    await expectFocusedFix(p, "#note-fix", "Bytt ut med [navn]");
    await expectSmallerSecond(p, "#note-fix", "#note-not-person", "Dette er ikke en person");
  }],
  ["encounter-not-a-person-saved", "enrolled", "#/shift/s-open/encounter/new", async (p) => {
    await p.fill("#note", "Ola (15) var med i dag");
    await p.click("#save-encounter");
    await p.click("#note-not-person");
    await p.waitForFunction(() => window.confirmedSaves.length === 1);
    const s = await p.evaluate(() => window.confirmedSaves[0]);
    if (s.field !== "note" || s.text !== "Ola (15) var med i dag" || JSON.stringify(s.spans) !== JSON.stringify([{ start: 0, end: 3 }])) {
      throw new Error(`saved with confirmation: ${JSON.stringify(s)}`);
    }
    await p.waitForSelector("#screen-title");
  }],
  ["close-not-a-person", "enrolled", "#/shift/s-open/close", async (p) => {
    await p.fill("#reflection", "Bra kveld på Ola");
    await p.click("#close-submit");
    await expectFocusedFix(p, "#reflection-fix", "Bytt ut med [navn]");
    await expectSmallerSecond(p, "#reflection-fix", "#reflection-not-person", "Dette er ikke en person");
    await p.click("#reflection-not-person");
    await p.waitForFunction(() => window.confirmedSaves.length === 1);
    const s = await p.evaluate(() => window.confirmedSaves[0]);
    if (s.field !== "reflection" || JSON.stringify(s.spans) !== JSON.stringify([{ start: 13, end: 16 }])) throw new Error(`saved: ${JSON.stringify(s)}`);
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
  ["lock", "locked", "#/shift/s-open/encounter/new", async (p) => {
    await p.waitForSelector("#lock-pin");
    if (!(await p.evaluate(() => document.getElementById("root").hidden))) throw new Error("the app is not covered");
    if ((await p.evaluate(() => document.activeElement?.id)) !== "lock-pin") throw new Error("the PIN field does not have focus");
  }],
  ["lock-wait", "locked", "#/home", async (p) => {
    await p.fill("#lock-pin", "000000");
    await p.click("#lock-submit");
    await p.waitForSelector("#lock-error:not(:empty)");
    const said = await p.textContent("#lock-error");
    if (!said.includes("Vent 30 sekunder")) throw new Error(`the wait is not said: ${said}`);
  }],
  ["lock-no-contact", "no-contact", "#/home", async (p) => {
    await p.waitForSelector("#lock-sync");
    const said = await p.textContent("#lock");
    if (!said.includes("14 dager") || !said.includes("Ingenting er slettet")) throw new Error(`no-contact lock not explained: ${said}`);
    if (await p.$("#lock-pin")) throw new Error("a PIN field on the no-contact lock");
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

/** Every mark says what it is in words (for screen readers) and has a
 * border, so it does not rest on colour alone. */
async function expectMarksInWords(p, sel) {
  const marks = await p.$$eval(`${sel} mark`, (ms) =>
    ms.map((m) => ({
      words: m.nextElementSibling?.classList.contains("visually-hidden") ? m.nextElementSibling.textContent : "",
      border: parseFloat(getComputedStyle(m).borderTopWidth),
    })),
  );
  if (marks.some((m) => !m.words.trim())) throw new Error("a mark has no words for screen readers");
  if (marks.some((m) => !(m.border > 0))) throw new Error("a mark has no border: colour alone");
}

/** The second choice: labelled `label`, smaller than the fix, not focused, not primary. */
async function expectSmallerSecond(p, fixSel, sel, label) {
  const text = (await p.textContent(sel))?.trim();
  if (text !== label) throw new Error(`second button says ${JSON.stringify(text)}, expected ${JSON.stringify(label)}`);
  const [fix, second] = await Promise.all([fixSel, sel].map((s) => p.$eval(s, (b) => {
    const r = b.getBoundingClientRect();
    return { w: r.width, h: r.height, primary: b.classList.contains("primary") };
  })));
  if (!(second.h < fix.h && second.w < fix.w)) throw new Error(`second button ${JSON.stringify(second)} is not smaller than the fix ${JSON.stringify(fix)}`);
  if (second.primary) throw new Error("the second button is styled as the default");
  if (await p.evaluate((s) => document.activeElement === document.querySelector(s), sel)) throw new Error(`${sel} holds focus`);
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
    // A locked app shows the lock screen over the (hidden) screen.
    await page.waitForSelector(["locked", "no-contact"].includes(scenario) ? "#lock-title" : "#screen-title");
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
