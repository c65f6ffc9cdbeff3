// Dashboard browser test: a real feltlogg-server with demo data on a
// loopback port, driven in headless Debian Chromium (playwright-core never
// downloads a browser). A team lead approves one shift and returns another;
// a team lead of another unit cannot open, approve or export them (also by
// direct URL and forged form post); an admin reports one phone lost and
// retires another, each after a confirmation page, with the audit rows; a quarter is exported in all three formats and checked
// against SQL, including a suppressed cell; the key-figures page draws its
// charts; an artist a worker confirmed as "not a person" is marked on its
// shift, listed on /review/screen and added to the unit's words in one
// click, the lead curates the unit's words and a lead of another unit
// cannot; axe-core checks every page. Screenshots: artifacts/dashboard/.
//
// Run: cargo build -p feltlogg-server && node sync-server/e2e/dashboard.e2e.mjs

import { chromium } from "playwright-core";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM_FLAGS, axe, freePort, parseCsv, readXlsxFirstSheet, runDemo, sql, startServer, steps } from "./lib.mjs";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "../..");
const BIN = process.env.FELTLOGG_SERVER_BIN ?? path.join(ROOT, "target/debug/feltlogg-server");
const ARTIFACTS = path.join(ROOT, "artifacts/dashboard");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SERVICE_LABELS = {
  nav: "NAV", child_welfare: "barneverntjenesten", youth_health_centre: "helsestasjon for ungdom",
  gp_emergency: "fastlege/legevakt", bup_dps: "BUP/DPS", school_ppt: "skole/PPT",
  police_slt: "politi/SLT", outreach_follow_up: "utekontakt oppfølging", substance_care: "rusomsorg/LAR",
  housing: "bolig", leisure: "fritid/aktivitet", other: "annet",
};

const { step, check, finish } = steps();

mkdirSync(ARTIFACTS, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), "feltlogg-dash-"));
const db = path.join(tmp, "demo.db");
const demo = runDemo(BIN, db);
console.log(demo.summary);
const port = await freePort();
const { child, base } = await startServer(BIN, db, port);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });

// Unit A: the unit with the most closed shifts waiting; unit B: another one.
const [[unitA, unitAName]] = sql(db, "SELECT u.id, u.name FROM units u JOIN shifts s ON s.unit_id = u.id AND s.status = 'closed' GROUP BY u.id ORDER BY count(*) DESC, u.name LIMIT 1");
const [[unitB, unitBName]] = sql(db, `SELECT id, name FROM units WHERE id != '${unitA}' ORDER BY name LIMIT 1`);
const leadA = demo.signIns.find((s) => s.role === "team_lead" && s.unit === unitAName);
const leadB = demo.signIns.find((s) => s.role === "team_lead" && s.unit === unitBName);
const admin = demo.signIns.find((s) => s.role === "admin");

async function newPage() {
  // bypassCSP: the pages forbid every script; axe-core is injected by the test.
  const ctx = await browser.newContext({ bypassCSP: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}

async function signIn(page, who) {
  await page.goto(`${base}/login`);
  await page.fill("#username", who.username);
  await page.fill("#password", who.secret);
  await Promise.all([page.waitForURL(/\/review/), page.click("button[type=submit]")]);
}

async function audit(page, name) {
  const bad = await axe(page);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  check(bad.length === 0, `${name}: axe serious/critical: ${bad.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
}

const status = (id) => sql(db, `SELECT status FROM shifts WHERE id = '${id}'`)[0]?.[0];
const csrfOf = (page) => page.locator("input[name=csrf]").first().inputValue();

const lead = await newPage();
let queueIds = [];

await step("sign-in page is accessible and refuses a wrong password", async () => {
  await lead.goto(`${base}/login`);
  await audit(lead, "login");
  await lead.fill("#username", leadA.username);
  await lead.fill("#password", "feil-passord-123");
  await lead.click("button[type=submit]");
  await lead.waitForSelector(".error");
  await audit(lead, "login-wrong-password");
});

await step("team lead A sees only unit A's closed shifts, oldest first", async () => {
  await signIn(lead, leadA);
  const rows = lead.locator("tbody tr");
  queueIds = await lead.locator("tbody input[name=shift]").evaluateAll((els) => els.map((e) => e.value));
  const expected = sql(db, `SELECT id FROM shifts WHERE unit_id = '${unitA}' AND status = 'closed' AND deleted = 0 ORDER BY coalesce(closed_ms, started_ms), id`).map((r) => r[0]);
  check(JSON.stringify(queueIds) === JSON.stringify(expected), `queue ${queueIds} != SQL ${expected}`);
  check(queueIds.length >= 4, `need 4 closed shifts in unit A, have ${queueIds.length}`);
  const units = await rows.locator("td:nth-child(4)").allTextContents();
  check(units.every((u) => u === unitAName), `other units listed: ${units}`);
  await audit(lead, "review-queue");
});

await step("team lead A approves one shift", async () => {
  await lead.goto(`${base}/shifts/${queueIds[0]}`);
  await audit(lead, "shift");
  await Promise.all([lead.waitForURL(/msg=approved/), lead.click("#approve")]);
  check(status(queueIds[0]) === "approved", `status ${status(queueIds[0])}`);
  const signed = sql(db, `SELECT count(*) FROM changelog WHERE entry = 'decision' AND record_id = '${queueIds[0]}'`)[0][0];
  check(signed === "1", "the decision is queued for the devices' next pull");
  await audit(lead, "review-after-approve");
});

await step("team lead A returns another shift, with a required comment", async () => {
  await lead.goto(`${base}/shifts/${queueIds[1]}`);
  const empty = await Promise.all([lead.waitForResponse((r) => r.url().endsWith("/return")), lead.click("#return")]);
  check(empty[0].status() === 400, `empty comment answered ${empty[0].status()}`);
  await audit(lead, "shift-return-needs-comment");
  check(status(queueIds[1]) === "closed", "not returned without a comment");
  await lead.fill("#comment", "Legg inn kontakten ved Olaf Ryes plass");
  await Promise.all([lead.waitForURL(/msg=returned/), lead.click("#return")]);
  check(status(queueIds[1]) === "returned", `status ${status(queueIds[1])}`);
  const comment = sql(db, `SELECT json_extract(signed, '$.decision.comment') FROM decisions WHERE shift_id = '${queueIds[1]}' ORDER BY id DESC LIMIT 1`)[0][0];
  check(comment === "Legg inn kontakten ved Olaf Ryes plass", `signed comment ${comment}`);
});

await step("team lead A bulk-approves two shifts", async () => {
  await lead.goto(`${base}/review`);
  await lead.check(`#sel-${queueIds[2]}`);
  await lead.check(`#sel-${queueIds[3]}`);
  await Promise.all([lead.waitForURL(/done=2/), lead.click("#bulk-approve")]);
  check(status(queueIds[2]) === "approved" && status(queueIds[3]) === "approved", "both approved");
});

await step("refused changes are listed with their reason", async () => {
  await lead.goto(`${base}/review/refusals`);
  await audit(lead, "refusals");
  // Each refusal explained in bokmål by its code, the server's words beneath.
  const rows = await lead.$$eval("main tbody tr", (trs) =>
    trs.map((tr) => {
      const cell = tr.lastElementChild;
      return { said: cell.firstChild?.textContent ?? "", server: cell.querySelector(".muted")?.textContent ?? "" };
    }),
  );
  check(rows.length > 0, "the demo lead sees no refusals");
  for (const r of rows) {
    check(r.said.trim() && r.server.trim() && r.said !== r.server, `refusal not explained: ${JSON.stringify(r)}`);
  }
});

const other = await newPage();
await step("team lead B cannot open, approve or export unit A's shifts", async () => {
  await signIn(other, leadB);
  for (const id of [queueIds[0], queueIds[4] ?? queueIds[1]]) {
    const r = await other.goto(`${base}/shifts/${id}`);
    check(r.status() === 404, `B opened A's shift ${id}: ${r.status()}`);
  }
  const target = queueIds[4];
  if (target) {
    await other.goto(`${base}/review`);
    const csrf = await csrfOf(other);
    const forged = await other.request.post(`${base}/shifts/${target}/approve`, { form: { csrf }, maxRedirects: 0 });
    check(forged.status() === 404, `forged approve answered ${forged.status()}`);
    const bulk = await other.request.post(`${base}/review/bulk-approve`, { form: { csrf, shift: target }, maxRedirects: 0 });
    check(bulk.headers().location === "/review?done=0&failed=1", `forged bulk: ${bulk.headers().location}`);
    const noToken = await other.request.post(`${base}/shifts/${target}/return`, { form: { comment: "x" }, maxRedirects: 0 });
    check(noToken.status() === 403, `post without csrf answered ${noToken.status()}`);
    check(status(target) === "closed", `A's shift changed to ${status(target)}`);
  }
  await other.goto(`${base}/export`);
  const csrf = await csrfOf(other);
  const year = new Date().getFullYear();
  const r = await other.request.post(`${base}/export`, { form: { csrf, kind: "year", year: String(year), format: "csv" } });
  check(r.status() === 200, `B's export: ${r.status()}`);
  const rows = parseCsv(await r.text(), ",");
  const mine = sql(db, `SELECT count(*) FROM shifts WHERE unit_id = '${unitB}' AND status = 'approved' AND deleted = 0 AND strftime('%Y', started_ms / 1000, 'unixepoch', 'localtime') = '${year}'`)[0][0];
  const total = rows.find((row) => row[1] === "Totalt");
  const col = rows[0].indexOf("Vakter");
  check(total && total[col] === mine, `B's export counts ${total?.[col]} shifts, B's units have ${mine}`);
});

const adm = await newPage();
await step("admin reports one phone lost and retires another, each after a confirmation, both audited", async () => {
  const enrolPhone = async (name) => {
    const { publicKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
    const code = name === "E2E-telefon" ? demo.enrolCode : await newEnrolCode();
    const r = await fetch(`${base}/api/v1/devices/enrol`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, device_public_key: raw.toString("base64").replace(/=+$/, ""), device_name: name }),
    });
    check(r.ok, `enrol ${name}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  const push = (token) => fetch(`${base}/api/v1/sync/push`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" }, body: Buffer.from("not an envelope") });
  const pull = (token) => fetch(`${base}/api/v1/sync/pull?after=0`, { headers: { authorization: `Bearer ${token}` } });
  await signIn(adm, admin);
  const newEnrolCode = async () => {
    await adm.goto(`${base}/admin/units`);
    await adm.click("#make-code");
    return (await adm.textContent("#enrol-code")).trim();
  };
  const lost = await enrolPhone("E2E-telefon");
  const retired = await enrolPhone("E2E-telefon 2");
  const before = await push(lost.token);
  check(before.status !== 403, `push before revocation refused as revoked: ${before.status}`);

  const revoke = async (device, kind, name) => {
    await adm.goto(`${base}/admin/devices`);
    await Promise.all([adm.waitForURL(/\/revoke\?kind=/), adm.click(`#device-${device} button[data-kind=${kind}]`)]);
    await audit(adm, `admin-devices-confirm-${kind}`);
    check((await adm.locator("h1").innerText()).includes(name), `the ${kind} confirmation names the phone`);
    await Promise.all([adm.waitForURL(/msg=saved/), adm.click("#confirm")]);
  };
  await adm.goto(`${base}/admin/devices`);
  await audit(adm, "admin-devices");
  await revoke(lost.device_id, "lost", "E2E-telefon");
  await revoke(retired.device_id, "retire", "E2E-telefon 2");

  const after = await push(lost.token);
  const body = await after.json();
  check(after.status === 403 && body.code === "device_revoked", `push after lost: ${after.status} ${JSON.stringify(body)}`);
  const instruction = await pull(lost.token);
  check(instruction.status === 200 && instruction.headers.get("content-type") === "application/octet-stream",
    `a lost phone still fetches its sealed instruction: ${instruction.status}`);
  const last = await push(retired.token);
  const lastBody = await last.json();
  // Past the revocation check: the (deliberately bad) envelope itself is what is refused.
  check(last.status === 400 && lastBody.code !== "device_revoked", `a retired phone may still push its last batch: ${last.status} ${JSON.stringify(lastBody)}`);

  for (const [device, kind] of [[lost.device_id, "lost"], [retired.device_id, "retire"]]) {
    const rows = sql(db, `SELECT username, detail FROM audit_log WHERE action = 'device_revoke' AND target = '${device}'`);
    check(rows.length === 1 && rows[0][0] === admin.username && rows[0][1] === `kind=${kind}`, `${kind} audited with who did it: ${JSON.stringify(rows)}`);
    check(sql(db, `SELECT kind FROM revocations WHERE device_id = '${device}'`)[0]?.[0] === kind, `${kind} instruction stored`);
  }
  await adm.goto(`${base}/admin/devices`);
  const lostRow = await adm.locator(`#device-${lost.device_id}`).innerText();
  check(/meldt tapt/.test(lostRow) && /hentet beskjeden/.test(lostRow) && !/ikke hentet/.test(lostRow), `the lost phone's row says it fetched the instruction: ${lostRow}`);
  check(await adm.locator(`#device-${lost.device_id} button`).count() === 0, "a lost phone offers nothing more");
  check(await adm.locator(`#device-${retired.device_id} button[data-kind=lost]`).count() === 1, "a retired phone can still be reported lost");
  await audit(adm, "admin-devices-revoked");
});

// The last full quarter: demo data covers the twelve months up to today.
const today = new Date();
let qYear = today.getFullYear();
let quarter = Math.floor(today.getMonth() / 3);
if (quarter === 0) { quarter = 4; qYear--; }
const inQuarter = (col) => `CAST(strftime('%Y', ${col} / 1000, 'unixepoch', 'localtime') AS INT) = ${qYear} AND (CAST(strftime('%m', ${col} / 1000, 'unixepoch', 'localtime') AS INT) + 2) / 3 = ${quarter}`;
const files = {};

await step(`admin exports ${qYear}-Q${quarter} in all three formats`, async () => {
  await adm.goto(`${base}/export`);
  await audit(adm, "export");
  await adm.selectOption("#p-kind", "quarter");
  await adm.fill("#p-year", String(qYear));
  await adm.selectOption("#p-quarter", String(quarter));
  for (const format of ["excel", "csv", "xlsx"]) {
    await adm.selectOption("#format", format);
    const [dl] = await Promise.all([adm.waitForEvent("download"), adm.click("#download")]);
    const to = path.join(ARTIFACTS, `export-${qYear}-Q${quarter}-${format}${format === "xlsx" ? ".xlsx" : ".csv"}`);
    await dl.saveAs(to);
    files[format] = readFileSync(to);
  }
  check(files.excel[0] === 0xef && files.excel[1] === 0xbb && files.excel[2] === 0xbf, "Excel CSV starts with a BOM");
  check(files.csv[0] !== 0xef, "RFC 4180 CSV has no BOM");
  check(sql(db, `SELECT count(*) FROM audit_log WHERE action = 'export' AND target = '${qYear}-Q${quarter}'`)[0][0] === "3", "three exports audited");
});

await step("the export's numbers match SQL, small counts are suppressed, the formats agree", async () => {
  const excel = parseCsv(files.excel.toString("utf8"), ";");
  const plain = parseCsv(files.csv.toString("utf8"), ",");
  const xlsx = readXlsxFirstSheet(files.xlsx);
  const head = excel[0];
  const byBydel = (rows) => Object.fromEntries(rows.slice(1).filter((r) => r[0]).map((r) => [r[0], r]));
  const rowsE = byBydel(excel);
  const shiftSql = Object.fromEntries(sql(db, `SELECT bydel, count(*) FROM shifts WHERE status = 'approved' AND deleted = 0 AND ${inQuarter("started_ms")} GROUP BY bydel`));
  const encSql = Object.fromEntries(sql(db, `SELECT e.bydel, count(*) FROM encounters e JOIN shifts s ON s.id = e.shift_id WHERE e.deleted = 0 AND s.status = 'approved' AND s.deleted = 0 AND ${inQuarter("s.started_ms")} GROUP BY e.bydel`));
  const refSql = {};
  for (const [bydel, service, n] of sql(db, `SELECT e.bydel, r.service, count(*) FROM referrals r JOIN encounters e ON e.id = r.encounter_id JOIN shifts s ON s.id = e.shift_id WHERE r.deleted = 0 AND e.deleted = 0 AND s.status = 'approved' AND s.deleted = 0 AND ${inQuarter("s.started_ms")} GROUP BY 1, 2`)) {
    refSql[`${bydel}|Formidlet til ${SERVICE_LABELS[service]}`] = n;
  }
  let primary = 0, compared = 0;
  const compare = (bydel, column, want) => {
    const got = rowsE[bydel]?.[head.indexOf(column)];
    check(got !== undefined, `no cell ${bydel}/${column}`);
    const n = Number(want ?? 0);
    if (got === "<5") {
      if (n >= 1 && n <= 4) primary++;
      return; // secondary suppression may hide larger counts too
    }
    check(!(n >= 1 && n <= 4), `${bydel}/${column}: ${n} published, must be <5`);
    check(Number(got) === n, `${bydel}/${column}: export ${got}, SQL ${n}`);
    compared++;
  };
  for (const bydel of Object.keys(rowsE)) {
    compare(bydel, "Vakter", shiftSql[bydel]);
    compare(bydel, "Kontakter", encSql[bydel]);
    for (const label of Object.values(SERVICE_LABELS)) compare(bydel, `Formidlet til ${label}`, refSql[`${bydel}|Formidlet til ${label}`]);
  }
  check(compared > 10, `only ${compared} cells compared`);
  check(primary > 0, "no small count was found suppressed");
  // The three formats carry the same values (decimal comma vs point, numbers vs text).
  // Text must match; numbers within the one decimal shown (.xlsx keeps full precision).
  const same = (a, b) => {
    const [x, y] = [Number(String(a).replace(",", ".")), Number(String(b).replace(",", "."))];
    return a === b || (a !== "" && b !== "" && !Number.isNaN(x) && Math.abs(x - y) <= 0.051);
  };
  for (let r = 0; r < excel.length; r++) {
    for (let c = 0; c < excel[r].length; c++) {
      check(same(excel[r][c], plain[r][c]), `csv formats differ at ${r},${c}: ${excel[r][c]} / ${plain[r][c]}`);
      if (c < xlsx[0].length) check(same(excel[r][c], xlsx[r]?.[c] ?? ""), `xlsx differs at ${r},${c}: ${excel[r][c]} / ${xlsx[r]?.[c]}`);
    }
  }
  console.log(`     ${compared} cells equal to SQL, ${primary} small counts shown as <5`);
});

await step("the key-figures page renders its table and charts", async () => {
  await adm.goto(`${base}/figures?kind=quarter&year=${qYear}&quarter=${quarter}`);
  const charts = await adm.locator("svg.chart").count();
  check(charts === 5, `${charts} charts`);
  const bars = await adm.locator("#chart-encounters rect").count();
  check(bars >= 3, `${bars} bars in the encounters chart`);
  const rows = await adm.locator("#figures-table tbody tr").count();
  check(rows >= 3, `${rows} table rows`);
  await audit(adm, "key-figures");
});

await step("admin pages for units, users and audit log are accessible", async () => {
  await adm.goto(`${base}/admin/units`);
  await audit(adm, "admin-units");
  await adm.selectOption("#enrol-unit", { label: "Utekontakten Stovner" });
  await adm.click("#make-code");
  check((await adm.textContent("#enrol-code")).trim().length === 10, "an enrolment code is shown");
  await audit(adm, "admin-enrol-code");
  await adm.goto(`${base}/admin/users`);
  await audit(adm, "admin-users");
  await adm.goto(`${base}/admin/audit`);
  const actions = await adm.locator("tbody td:nth-child(3)").allTextContents();
  for (const a of ["shift_approve", "shift_return", "export", "device_revoke", "enrol_code"]) {
    check(actions.includes(a), `audit log lacks ${a}`);
  }
  await audit(adm, "admin-audit");
});

await step("team leads cannot open admin pages", async () => {
  for (const p of ["/admin/users", "/admin/devices", "/admin/audit"]) {
    const r = await other.goto(`${base}${p}`);
    check(r.status() === 403, `${p}: ${r.status()}`);
  }
  await audit(other, "forbidden");
});

await step("English is selectable and accessible", async () => {
  await lead.goto(`${base}/review`);
  await Promise.all([lead.waitForURL(/\/review/), lead.click("a.lang")]);
  check((await lead.getAttribute("html", "lang")) === "en", "lang=en");
  check((await lead.textContent("h1")).includes("Shifts waiting for review"), "English heading");
  await audit(lead, "review-english");
});

// Issue #9: the anonymity screen on a return comment, and the old-data scan.
await step("a return comment with a phone number is refused with the highlight, fixed with one tap, sent", async () => {
  const target = queueIds[4];
  check(target && status(target) === "closed", `need a fifth closed shift in unit A, have ${queueIds.length}`);
  await lead.goto(`${base}/lang/nb?back=/review`); // the step before chose English
  await lead.goto(`${base}/shifts/${target}`);
  await lead.fill("#comment", "Avtalt å ringe 912 34 567 om kontakten");
  const [refused] = await Promise.all([lead.waitForResponse((r) => r.url().endsWith("/return")), lead.click("#return")]);
  check(refused.status() === 422, `flagged comment answered ${refused.status()}`);
  check((await lead.textContent("#comment-marked mark")) === "912 34 567", "the number is highlighted");
  check((await lead.textContent("#comment-found li")).includes("Telefonnummer"), "what was found, in bokmål");
  check(status(target) === "closed", "not returned with a flagged comment");
  await audit(lead, "return-comment-flagged");
  await Promise.all([lead.waitForResponse((r) => r.url().endsWith("/return")), lead.click("#comment-fix")]);
  const fixed = await lead.inputValue("#comment");
  check(fixed === "Avtalt å ringe [telefon] om kontakten", `fixed comment ${fixed}`);
  check((await lead.locator("#comment-fix").count()) === 0, "nothing left to fix");
  await audit(lead, "return-comment-fixed");
  await Promise.all([lead.waitForURL(/msg=returned/), lead.click("#return")]);
  check(status(target) === "returned", `status ${status(target)}`);
  const signed = sql(db, `SELECT json_extract(signed, '$.decision.comment') FROM decisions WHERE shift_id = '${target}' ORDER BY id DESC LIMIT 1`)[0][0];
  check(signed === fixed, `signed comment ${signed}`);
});

await step("the scan lists the demo's legacy note, the lead redacts it, the audit log shows it", async () => {
  const seeded = sql(db, `SELECT id, shift_id FROM encounters WHERE unit_id = '${unitA}' AND json_extract(fields, '$.note') LIKE 'Jonas Berggren%'`);
  check(seeded.length === 1, `the demo seeds one legacy note in unit A, found ${seeded.length}`);
  const [[noteId, shiftId]] = seeded;
  await lead.goto(`${base}/review`);
  await Promise.all([lead.waitForURL(/\/review\/screen/), lead.click("#scan-link")]);
  await audit(lead, "scan");
  const row = lead.locator(`tr[data-id="${noteId}"][data-field="note"]`);
  check((await row.count()) === 1, "the legacy note is listed");
  check((await row.locator("mark").first().textContent()).includes("Jonas"), "the name is highlighted");
  const otherUnits = sql(db, `SELECT id FROM encounters WHERE unit_id != '${unitA}' AND json_extract(fields, '$.note') LIKE 'Jonas Berggren%'`).map((r) => r[0]);
  for (const id of otherUnits) check((await lead.locator(`tr[data-id="${id}"]`).count()) === 0, `other unit's note ${id} listed`);
  await Promise.all([lead.waitForURL(/msg=redacted/), lead.click(`#redact-${noteId}-note`)]);
  await audit(lead, "scan-redacted");
  check((await lead.locator(`tr[data-id="${noteId}"][data-field="note"]`).count()) === 0, "no longer listed");
  const note = sql(db, `SELECT json_extract(fields, '$.note') FROM encounters WHERE id = '${noteId}'`)[0][0];
  check(note.includes("[navn]") && !note.includes("Jonas") && !note.includes("Berggren"), `note after redaction: ${note}`);
  check(status(shiftId) === "approved", `the legacy note's shift is ${status(shiftId)}`);
  const outgoing = sql(db, `SELECT count(*) FROM changelog WHERE entry = 'change' AND record_id = '${noteId}' AND origin_device IS NULL`)[0][0];
  check(outgoing === "1", "the redaction is queued for the phones' next pull");
  await adm.goto(`${base}/admin/audit`);
  const actions = await adm.locator("tbody td:nth-child(3)").allTextContents();
  const targets = await adm.locator("tbody td:nth-child(4)").allTextContents();
  check(actions.includes("note_redact") && targets.includes(`encounter/${noteId}`), "the audit log shows the redaction");
  const page = await adm.content();
  check(!page.includes("Berggren"), "the audit log never holds the text");
});

// Issue 15: the unit's own words and "Dette er ikke en person".
await step("an artist a worker confirmed is marked on its shift, listed, and added to the unit's words in one click", async () => {
  const seeded = sql(db, `SELECT id, shift_id, json_extract(fields, '$.not_a_person'), json_extract(fields, '$.note') FROM encounters WHERE unit_id = '${unitA}' AND json_array_length(json_extract(fields, '$.not_a_person')) > 0`);
  check(seeded.length === 1, `the demo seeds one confirmed name in unit A, found ${seeded.length}`);
  const [[id, shiftId, confirmed, note]] = seeded;
  const [{ start, end }] = JSON.parse(confirmed);
  const word = Array.from(note).slice(start, end).join("");
  await lead.goto(`${base}/shifts/${shiftId}`);
  check((await lead.locator("mark.confirmed").first().textContent()) === word, `the confirmed ${word} is marked on the shift`);
  check((await lead.locator("mark.confirmed + .tag").first().textContent()).includes("ikke en person"), "and says so in words");
  await audit(lead, "shift-confirmed");
  await lead.goto(`${base}/review/screen`);
  const button = lead.locator(`#add-word-${id}-note-${start}`);
  check((await button.count()) === 1, "listed with its one-click button");
  await audit(lead, "scan-confirmed");
  const b = await other.goto(`${base}/review/screen`);
  check(b.status() === 200 && (await other.locator(`#add-word-${id}-note-${start}`).count()) === 0, "lead B does not see A's confirmation");
  await Promise.all([lead.waitForURL(/msg=word_added/), button.click()]);
  check((await lead.locator(`#add-word-${id}-note-${start}`).count()) === 0, "no longer listed");
  const words = sql(db, `SELECT word FROM unit_words WHERE unit_id = '${unitA}'`).map((r) => r[0]);
  check(words.includes(word), `unit A's words ${JSON.stringify(words)}`);
  const announced = sql(db, `SELECT count(*) FROM changelog WHERE unit_id = '${unitA}' AND entry = 'directory'`)[0][0];
  check(Number(announced) >= 1, "the phones are told");
});

await step("team lead A curates the unit's words; lead B cannot; only admins keep the municipality's", async () => {
  await lead.goto(`${base}/words`);
  await Promise.all([lead.waitForURL(new RegExp(`/words/${unitA}`)), lead.click(`a[href="/words/${unitA}"]`)]);
  await audit(lead, "words");
  await lead.fill("#word", "Blå Kors");
  await Promise.all([lead.waitForURL(/msg=added/), lead.click("#word-add")]);
  check((await lead.locator("#words-table").textContent()).includes("Blå Kors"), "the new word is listed");
  await lead.fill("#word", "ring 912 34 567");
  const [refused] = await Promise.all([lead.waitForResponse((r) => r.url().endsWith("/add")), lead.click("#word-add")]);
  check(refused.status() === 400, `a phone number as a word answered ${refused.status()}`);
  await audit(lead, "words-refused");
  await lead.check("#confirmations-off");
  await Promise.all([lead.waitForURL(/msg=setting_saved/), lead.click("#setting-save")]);
  check(sql(db, `SELECT not_a_person FROM units WHERE id = '${unitA}'`)[0][0] === "0", "the setting is off");
  const r = await other.goto(`${base}/words/${unitA}`);
  check(r.status() === 404, `B opened A's words: ${r.status()}`);
  await other.goto(`${base}/words`);
  check((await other.locator(`a[href="/words/${unitA}"]`).count()) === 0, "A's list is not offered to B");
  const csrf = await csrfOf(other);
  const before = sql(db, `SELECT count(*) FROM unit_words WHERE unit_id = '${unitA}'`)[0][0];
  for (const [action, form] of [["add", { word: "Kiwi" }], ["setting", { confirmations: "on" }]]) {
    const forged = await other.request.post(`${base}/words/${unitA}/${action}`, { form: { csrf, ...form }, maxRedirects: 0 });
    check(forged.status() === 404, `B's forged ${action} answered ${forged.status()}`);
  }
  check(sql(db, `SELECT count(*) FROM unit_words WHERE unit_id = '${unitA}'`)[0][0] === before, "A's words unchanged");
  check(sql(db, `SELECT not_a_person FROM units WHERE id = '${unitA}'`)[0][0] === "0", "A's setting unchanged");
  await other.goto(`${base}/words/municipality`);
  check((await other.locator("#word-add").count()) === 0, "a lead gets no form for the municipality's words");
  const leadPost = await other.request.post(`${base}/words/municipality/add`, { form: { csrf, word: "Uteseksjonen" }, maxRedirects: 0 });
  check(leadPost.status() === 403, `a lead's post to the municipality's words answered ${leadPost.status()}`);
  await adm.goto(`${base}/words/municipality`);
  await adm.fill("#word", "Uteseksjonen");
  await Promise.all([adm.waitForURL(/msg=added/), adm.click("#word-add")]);
  await audit(adm, "words-municipality");
  check(sql(db, "SELECT count(*) FROM unit_words WHERE unit_id IS NULL")[0][0] === "1", "the municipality's word is kept");
  await adm.goto(`${base}/admin/audit`);
  const actions = await adm.locator("tbody td:nth-child(3)").allTextContents();
  check(actions.includes("word_add") && actions.includes("words_setting"), "the audit log shows the words' changes");
});

await browser.close();
child.kill("SIGTERM");
rmSync(tmp, { recursive: true, force: true });
finish();
