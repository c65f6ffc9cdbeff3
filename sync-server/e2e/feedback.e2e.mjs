// The youths' feedback in a browser (issue 17): a real feltlogg-server with
// demo data, headless Debian Chromium at a phone's viewport. A team lead
// prints cards; an anonymous visitor opens a card's address, answers in
// bokmål, gets a flagged free text marked and fixes it with one tap, sends;
// the second use of that code is refused; another card is answered in
// English; the results page shows the lead's unit and, to an admin, a unit
// under the threshold hidden. axe-core checks the form, its error pages,
// the cards and the results page. No request leaves the server's origin,
// and the form sets no cookie. Screenshots: artifacts/feedback/.
//
// Run: cargo build -p feltlogg-server && node sync-server/e2e/feedback.e2e.mjs

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_FLAGS, axe, freePort, runDemo, sql, startServer, steps } from "./lib.mjs";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "../..");
const BIN = process.env.FELTLOGG_SERVER_BIN ?? path.join(ROOT, "target/debug/feltlogg-server");
const ARTIFACTS = path.join(ROOT, "artifacts/feedback");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const UNIT = "Utekontakten Grünerløkka";

const { step, check, finish } = steps();

mkdirSync(ARTIFACTS, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), "feltlogg-feedback-"));
const db = path.join(tmp, "demo.db");
const demo = runDemo(BIN, db);
console.log(demo.summary);
const port = await freePort();
const { child, base } = await startServer(BIN, db, port);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
const lead = demo.signIns.find((s) => s.role === "team_lead" && s.unit === UNIT);
const admin = demo.signIns.find((s) => s.role === "admin");
const [[unitId]] = sql(db, `SELECT id FROM units WHERE name = '${UNIT}'`);

const elsewhere = [];
async function newPage(options = {}) {
  // bypassCSP: the pages forbid every script; axe-core is injected by the test.
  const ctx = await browser.newContext({ bypassCSP: true, ...PHONE, ...options });
  const page = await ctx.newPage();
  page.on("request", (r) => { if (!r.url().startsWith(base)) elsewhere.push(r.url()); });
  return page;
}

async function audit(page, name) {
  const bad = await axe(page);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  check(bad.length === 0, `${name}: axe serious/critical: ${bad.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
}

async function signIn(page, who) {
  await page.goto(`${base}/login`);
  await page.fill("#username", who.username);
  await page.fill("#password", who.secret);
  await Promise.all([page.waitForURL(/\/review/), page.click("button[type=submit]")]);
}

const answers = () => Number(sql(db, `SELECT count(*) FROM feedback_answers WHERE unit_id = '${unitId}'`)[0][0]);
const leadPage = await newPage();
let codes = [];

await step("a team lead prints two cards for their unit, with QR codes", async () => {
  await signIn(leadPage, lead);
  await leadPage.goto(`${base}/feedback/cards`);
  await audit(leadPage, "cards-form");
  await leadPage.selectOption("#cards-unit", { label: UNIT });
  await leadPage.fill("#cards-count", "2");
  await Promise.all([leadPage.waitForLoadState("load"), leadPage.click("#print")]);
  codes = await leadPage.locator("li.card").evaluateAll((els) => els.map((e) => e.dataset.code));
  check(codes.length === 2 && codes.every((c) => /^[A-HJ-NP-Z2-9]{12}$/.test(c)), `codes ${codes}`);
  check((await leadPage.locator("li.card svg.qr").count()) === 2, "a QR code on each card");
  check((await leadPage.textContent("li.card .url")).includes(`${base}/u/${codes[0]}`), "the address is written out");
  await audit(leadPage, "cards-printed");
  const audited = sql(db, `SELECT username, target, detail FROM audit_log WHERE action = 'feedback_cards_print' ORDER BY id DESC LIMIT 1`)[0];
  check(audited[0] === lead.username && audited[1] === UNIT && audited[2].startsWith("cards=2 "), `audit ${audited}`);
  const stored = sql(db, `SELECT count(*) FROM feedback_codes WHERE unit_id = '${unitId}' AND length(code_hash) = 32`)[0][0];
  check(Number(stored) >= 2, "the codes are stored as hashes");
});

const youth = await newPage({ locale: "nb-NO" });
const before = answers();
await step("an anonymous visitor answers in bokmål and fixes a flagged text with one tap", async () => {
  const r = await youth.goto(`${base}/u/${codes[0]}`);
  check(r.status() === 200, `form answered ${r.status()}`);
  const h = r.headers();
  check(h["content-security-policy"]?.includes("default-src 'none'") && h["x-robots-tag"]?.includes("noindex"), "CSP and noindex");
  check(!h["set-cookie"], "the form sets no cookie");
  check((await youth.getAttribute("html", "lang")) === "nb", "bokmål");
  check((await youth.textContent("h1")) === "Hva synes du om oss?", "heading");
  await audit(youth, "form-nb");
  await youth.check("input[name=easy_to_reach][value='5']");
  await youth.check("input[name=overall][value='4']");
  await youth.check("input[name=age][value='16_18']");
  await youth.fill("#text", "Fint å prate med dere. Ring meg på 912 34 567");
  const [flagged] = await Promise.all([youth.waitForResponse((x) => x.request().method() === "POST"), youth.click("#send")]);
  check(flagged.status() === 422, `flagged text answered ${flagged.status()}`);
  check((await youth.textContent("#text-marked mark")) === "912 34 567", "the number is marked");
  check(await youth.isChecked("input[name=overall][value='4']"), "the answers are kept");
  check(answers() === before, "nothing stored while flagged");
  await audit(youth, "form-flagged");
  await Promise.all([youth.waitForResponse((x) => x.request().method() === "POST"), youth.click("#text-fix")]);
  const fixed = await youth.inputValue("#text");
  check(fixed === "Fint å prate med dere. Ring meg på [telefon]", `fixed text ${fixed}`);
  check((await youth.locator("#text-fix").count()) === 0, "nothing left to fix");
  await audit(youth, "form-fixed");
  await Promise.all([youth.waitForResponse((x) => x.request().method() === "POST"), youth.click("#send")]);
  check((await youth.textContent("h1")) === "Takk!", "thank-you page");
  await audit(youth, "form-thanks");
  check(answers() === before + 1, "one answer stored");
  const [row] = sql(db, `SELECT overall, age_group, free_text FROM feedback_answers WHERE unit_id = '${unitId}' ORDER BY id DESC LIMIT 1`);
  check(row[0] === "4" && row[1] === "16_18" && row[2] === fixed, `stored ${row}`);
});

await step("the second use of the code is refused with the friendly page", async () => {
  const r = await youth.goto(`${base}/u/${codes[0]}`);
  check(r.status() === 404, `second use answered ${r.status()}`);
  check((await youth.textContent("h1")) === "Denne koden virker ikke", "friendly heading");
  await audit(youth, "code-used");
  check(answers() === before + 1, "still one answer");
});

await step("another card is answered in English, its flagged e-mail fixed in one tap", async () => {
  const page = await newPage({ locale: "nb-NO" });
  await page.goto(`${base}/u/${codes[1]}`);
  await Promise.all([page.waitForURL(/lang=en/), page.click("a[hreflang=en]")]);
  check((await page.getAttribute("html", "lang")) === "en", "English");
  check((await page.textContent("h1")) === "What do you think of us?", "English heading");
  await audit(page, "form-en");
  await page.check("input[name=listened][value='5']");
  await page.check("input[name=trust][value='3']");
  await page.fill("#text", "Write to me at ola.nordmann@example.com please");
  await Promise.all([page.waitForResponse((x) => x.request().method() === "POST"), page.click("#send")]);
  check((await page.textContent("#text-found")).includes("an e-mail address"), "what was found, in English");
  await audit(page, "form-en-flagged");
  await Promise.all([page.waitForResponse((x) => x.request().method() === "POST"), page.click("#text-fix")]);
  check((await page.inputValue("#text")) === "Write to me at [e-mail] please", "English placeholder");
  await Promise.all([page.waitForResponse((x) => x.request().method() === "POST"), page.click("#send")]);
  check((await page.textContent("h1")) === "Thank you!", "English thank-you");
  check(answers() === before + 2, "two answers stored");
  const r = await page.goto(`${base}/u/NOSUCHCODE23?lang=en`);
  check(r.status() === 404 && (await page.textContent("h1")) === "This code does not work", "unknown code in English");
  await audit(page, "code-unknown-en");
});

await step("the results page shows the lead's own unit; an admin sees a small unit hidden", async () => {
  await leadPage.goto(`${base}/feedback`);
  const sections = await leadPage.locator("section.feedback-unit").count();
  check(sections === 1, `${sections} unit sections for a lead of one unit`);
  check((await leadPage.locator(`#unit-${unitId} [data-n]`).count()) === 1, "the lead's unit has enough answers");
  check((await leadPage.locator(`#unit-${unitId} svg.chart`).count()) === 2, "charts as on the key-figures page");
  await audit(leadPage, "results-lead");
  const adm = await newPage({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });
  await signIn(adm, admin);
  await adm.goto(`${base}/feedback`);
  const [[stovner]] = sql(db, "SELECT id FROM units WHERE name = 'Utekontakten Stovner'");
  check((await adm.locator(`#unit-${stovner} [data-hidden]`).count()) === 1, "Stovner is under the threshold");
  check((await adm.locator(".free-texts").count()) === 0, "admins never see free text");
  await audit(adm, "results-admin");
});

await step("nothing was requested from any other origin", async () => {
  check(elsewhere.length === 0, `requests elsewhere: ${elsewhere.join(", ")}`);
});

await browser.close();
child.kill("SIGTERM");
rmSync(tmp, { recursive: true, force: true });
finish();
