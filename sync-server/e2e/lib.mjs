// Helpers for the dashboard browser test: the server with demo data, SQL
// through the sqlite3 command, CSV and .xlsx readers, axe-core.

import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import net from "node:net";

export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `feltlogg-server demo` on `db` and returns its sign-ins and enrolment code. */
export function runDemo(bin, db) {
  const out = execFileSync(bin, ["--db", db, "demo"], { encoding: "utf8" });
  const signIns = [];
  for (const line of out.split("\n")) {
    const m = line.match(/^\s+(admin|team_lead|worker)\s+(.+?)\s+(\S+)\s+(password|PIN) (\S+)\s+\((.*)\)\s*$/);
    if (m) signIns.push({ role: m[1], unit: m[2], username: m[3], secret: m[5], name: m[6] });
  }
  const code = out.match(/Enrolment code for (.+) \(one use, 24 hours\): (\S+)/);
  if (!code) throw new Error(`demo printed no enrolment code:\n${out}`);
  return { signIns, enrolUnit: code[1], enrolCode: code[2], summary: out.split("\n")[0] };
}

/** Starts `serve`; resolves once /healthz answers. */
export async function startServer(bin, db, port) {
  const child = spawn(bin, ["--db", db, "serve", "--bind", `127.0.0.1:${port}`], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return { child, base };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGTERM");
  throw new Error("server did not answer /healthz within 10 s");
}

/** Rows of a query (`|`-separated columns), Oslo local time for strftime. */
export function sql(db, query) {
  const out = execFileSync("sqlite3", ["-readonly", db, query], {
    encoding: "utf8",
    env: { ...process.env, TZ: "Europe/Oslo" },
  });
  return out.split("\n").filter((l) => l.length).map((l) => l.split("|"));
}

/** Parses CSV (quoted fields with doubled quotes; CRLF records). */
export function parseCsv(text, sep) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ""; }
    else if (c === "\r") { /* CRLF */ }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else field += c;
  }
  if (field.length || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The files of a zip archive (central directory, stored or deflated). */
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip file");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : data;
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const xmlText = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The first worksheet of an .xlsx as rows of strings (numbers as written). */
export function readXlsxFirstSheet(buf) {
  const files = unzip(buf);
  const shared = [];
  const ss = files["xl/sharedStrings.xml"]?.toString("utf8") ?? "";
  for (const si of ss.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push(xmlText([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join("")));
  }
  const sheet = files["xl/worksheets/sheet1.xml"].toString("utf8");
  const rows = [];
  for (const c of sheet.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const [, colText, rowText, attrs, inner = ""] = c;
    let col = 0;
    for (const ch of colText) col = col * 26 + (ch.charCodeAt(0) - 64);
    const v = inner.match(/<v>([\s\S]*?)<\/v>/)?.[1];
    const t = attrs.match(/t="(\w+)"/)?.[1];
    let value = "";
    if (t === "s") value = shared[Number(v)];
    else if (t === "inlineStr") value = xmlText(inner.match(/<t[^>]*>([\s\S]*?)<\/t>/)?.[1] ?? "");
    else if (v !== undefined) value = xmlText(v);
    const r = Number(rowText) - 1;
    (rows[r] ??= [])[col - 1] = value;
  }
  return rows.map((r) => Array.from(r ?? [], (x) => x ?? ""));
}

/** axe-core on the current page; returns serious and critical violations. */
export async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Named steps that keep going after a failure, and the closing line
 * `N passed, N failed` with the exit code CI reads. */
export function steps() {
  let passed = 0;
  let failed = 0;
  return {
    check(ok, what) {
      if (!ok) throw new Error(what);
    },
    async step(name, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok   ${name}`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
      }
    },
    finish() {
      console.log(`\n${passed} passed, ${failed} failed`);
      process.exit(failed === 0 ? 0 : 1);
    },
  };
}
