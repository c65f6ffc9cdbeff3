// Shared pieces of the end-to-end test: the real sync server (CLI set-up
// and `serve` on a loopback port), tauri-driver, steps with pass/fail
// counting and screenshots under artifacts/.

import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);
export const SERVER_BIN = path.join(ROOT, "target/debug/feltlogg-server");
export const APP_BIN = path.join(ROOT, "target/debug/feltlogg-app");
export const ARTIFACTS = path.join(ROOT, "artifacts/e2e");

/** A free loopback port (the OS picks one; we release it at once). */
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

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs the server CLI against `db` and returns its trimmed stdout. Every
 * changing command needs `--by` (the audit log's actor): "e2e" unless the
 * call names one (a decision names the deciding lead). */
export function serverCli(db, args, env = {}) {
  const by = args.includes("--by") ? [] : ["--by", "e2e"];
  return execFileSync(SERVER_BIN, ["--db", db, ...by, ...args], {
    env: { ...process.env, RUST_LOG: "warn", ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

/** One value from the server's database, read with the sqlite3 shell. */
export function sqlValue(db, query) {
  return execFileSync("sqlite3", ["-readonly", db, query], { encoding: "utf8" }).trim();
}

/** Polls `probe` until it returns a truthy value or `ms` pass. */
export async function until(probe, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
}

/** Starts a child process that is killed when the test ends. */
const children = [];
export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...opts });
  children.push(child);
  return child;
}
export function stopAll() {
  for (const c of children.reverse()) {
    if (c.exitCode === null) c.kill("SIGTERM");
  }
}

/** Waits until something accepts TCP connections on `port`. */
export function waitForPort(port, ms = 20000) {
  return until(
    () =>
      new Promise((resolve) => {
        const s = net.connect(port, "127.0.0.1");
        s.once("connect", () => {
          s.destroy();
          resolve(true);
        });
        s.once("error", () => resolve(false));
      }),
    ms,
    `port ${port}`,
  );
}

/** Steps: each passes or fails; after a failure the rest are skipped. */
export class Steps {
  constructor(driver, dir = ARTIFACTS) {
    this.driver = driver;
    this.dir = dir;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.shot = 0;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  async screenshot(name) {
    if (!this.driver) return;
    this.shot += 1;
    const file = path.join(this.dir, `${String(this.shot).padStart(2, "0")}-${name}.png`);
    writeFileSync(file, await this.driver.takeScreenshot(), "base64");
  }

  async step(name, fn) {
    if (this.failed > 0) {
      this.skipped += 1;
      console.log(`SKIP ${name}`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      this.passed += 1;
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.failed += 1;
      console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
      await this.screenshot(`failed-${name.replace(/\W+/g, "-")}`).catch(() => {});
    }
  }
}

/** A synthetic, checksum-valid fødselsnummer (DOMAIN.md rule 2's target). */
export function validFodselsnummer(birth = "010190", individual = 123) {
  const d = (birth + String(individual).padStart(3, "0")).split("").map(Number);
  const w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  const w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const k = (digits, w) => {
    const r = 11 - (digits.reduce((s, x, i) => s + x * w[i], 0) % 11);
    return r === 11 ? 0 : r;
  };
  const k1 = k(d, w1);
  if (k1 === 10) return validFodselsnummer(birth, individual + 1);
  const k2 = k([...d, k1], w2);
  if (k2 === 10) return validFodselsnummer(birth, individual + 1);
  return [...d, k1, k2].join("");
}
