// The national tool end to end, as the national body runs it: two demo
// servers (different seeds and municipalities) write signed totals files
// with `feltlogg-server export --format totals`, print their keys with
// `public-key`; a KEYS.toml pins them and a third municipality that does
// not deliver; `feltlogg-national` sums them. Checks: every totals file
// is valid against docs/totals.schema.json (ajv, draft 2020-12), the HTML
// report has the coverage line and charts and passes axe-core in
// headless Chromium, and a changed file refuses the run with nothing
// written. Screenshot: artifacts/national/.

import { chromium } from "playwright-core";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { CHROMIUM_FLAGS, axe, steps } from "./lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SERVER = process.env.FELTLOGG_SERVER_BIN ?? path.join(ROOT, "target/debug/feltlogg-server");
const NATIONAL = process.env.FELTLOGG_NATIONAL_BIN ?? path.join(ROOT, "target/debug/feltlogg-national");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(ROOT, "artifacts/national");
mkdirSync(ARTIFACTS, { recursive: true });

const work = mkdtempSync(path.join(tmpdir(), "feltlogg-national-"));
const input = path.join(work, "in");
mkdirSync(input);
const now = new Date();
const period = `${now.getUTCFullYear()}-YTD-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
const places = [
  { number: "0301", name: "Oslo", seed: "41" },
  { number: "4601", name: "Bergen", seed: "42" },
];

const run = (bin, args) => execFileSync(bin, args, { encoding: "utf8", env: { ...process.env, RUST_LOG: "warn" } });
let keys = "# pinned by the national body\n";
for (const p of places) {
  const db = path.join(work, `${p.number}.db`);
  const where = ["--db", db, "--by", "e2e", "--municipality-number", p.number, "--municipality-name", p.name];
  run(SERVER, [...where, "demo", "--seed", p.seed, "--days", "30"]);
  run(SERVER, [...where, "export", "--format", "totals", "--period", period, "--out", path.join(input, `${p.number}.json`)]);
  const key = run(SERVER, [...where, "public-key"]).trim();
  keys += `\n[[municipality]]\nnumber = "${p.number}"\nname = "${p.name}"\nkey = "${key}"\n`;
}
// Pinned, but its file never arrives: the coverage line names it.
keys += `\n[[municipality]]\nnumber = "5001"\nname = "Trondheim"\nkey = "${"A".repeat(43)}"\n`;
const keysFile = path.join(work, "KEYS.toml");
writeFileSync(keysFile, keys);
const out = path.join(work, "report", "nasjonalt");
mkdirSync(path.dirname(out));

const { step, check, finish } = steps();

await step("every totals file is valid against docs/totals.schema.json", async () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "docs/totals.schema.json"), "utf8")));
  for (const p of places) {
    const file = JSON.parse(readFileSync(path.join(input, `${p.number}.json`), "utf8"));
    check(validate(file), `${p.number}: ${ajv.errorsText(validate.errors)}`);
    check(file.totals.areas.length > 0, `${p.number}: no areas`);
  }
  const broken = JSON.parse(readFileSync(path.join(input, "0301.json"), "utf8"));
  delete broken.totals.areas[0].youths_by_gender.girl;
  check(!validate(broken), "a file missing a code passes the schema");
});

await step("feltlogg-national writes the xlsx, the Excel-CSV and the HTML report", async () => {
  const said = run(NATIONAL, ["--keys", keysFile, "--in", input, "--period", period, "--out", out]);
  check(said.includes("2 of 3 servers delivered") && said.includes("not delivered: 5001 Trondheim"), said);
  for (const ext of ["xlsx", "csv", "html"]) check(existsSync(`${out}.${ext}`), `no ${ext}`);
  const csv = readFileSync(`${out}.csv`);
  check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, "CSV without BOM");
  check(csv.toString("utf8").split("\r\n")[0].startsWith("\ufeffKommunenummer;Kommune;Områdenummer;Område;Vakter;"), "CSV header");
  for (const ext of ["xlsx", "csv", "html"]) copyFileSync(`${out}.${ext}`, path.join(ARTIFACTS, `nasjonalt.${ext}`));
});

await step("the HTML report passes axe-core in headless Chromium", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(`${out}.html`).href);
    const coverage = await page.textContent("#coverage");
    check(coverage.includes("Levert: 0301 Oslo, 4601 Bergen (2 av 3)") && coverage.includes("Ikke levert: 5001 Trondheim"), coverage);
    check((await page.locator("svg.chart").count()) >= 15, "charts per municipality and in total");
    check((await page.locator("#all-table tbody tr").count()) === 3, "two municipalities and the total");
    await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });
    const bad = await axe(page);
    check(bad.length === 0, `axe serious/critical: ${bad.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
    await page.setViewportSize({ width: 390, height: 844 });
    const phone = await axe(page);
    check(phone.length === 0, `axe on a phone: ${phone.map((v) => v.id).join(", ")}`);
  } finally {
    await browser.close();
  }
});

await step("a file changed after signing refuses the run and nothing is written", async () => {
  const bad = path.join(work, "bad");
  mkdirSync(bad);
  for (const p of places) copyFileSync(path.join(input, `${p.number}.json`), path.join(bad, `${p.number}.json`));
  const text = readFileSync(path.join(bad, "4601.json"), "utf8");
  writeFileSync(path.join(bad, "4601.json"), text.replace(/"encounters": (\d)/, (_, d) => `"encounters": ${d === "9" ? "8" : "9"}`));
  const refusedOut = path.join(work, "refused");
  const r = spawnSync(NATIONAL, ["--keys", keysFile, "--in", bad, "--period", period, "--out", refusedOut], { encoding: "utf8" });
  check(r.status !== 0, "accepted a changed file");
  check(r.stderr.includes("4601.json refused: the signature does not verify"), r.stderr);
  check(!["xlsx", "csv", "html"].some((ext) => existsSync(`${refusedOut}.${ext}`)), "wrote a report");
});

finish();
