// End-to-end: the app lock in the real desktop app (target/debug/feltlogg-app)
// under Xvfb, through tauri-driver and WebKitWebDriver, against a real
// feltlogg-server on a loopback port. The idle time is set to a few seconds
// (FELTLOGG_LOCK_IDLE_SECS); the app enrols itself at its first start
// (FELTLOGG_SERVER_URL, FELTLOGG_ENROL_CODE, as `./dev run` does).
//
// Idle lock over a half-written contact, commands refused while locked
// (also typed into the page as devtools would), five wrong PINs and the
// wait, the partner opening it with the contact as it was, the wait still
// there after the app restarts, the shift still open, and the background
// lock (the page hidden), which a reload does not open.
//
// Run through ./dev test, or: xvfb-run -a node ui/e2e/lock.e2e.mjs

import { Builder, By, until as wdUntil } from "selenium-webdriver";
import path from "node:path";
import { APP_BIN, ARTIFACTS, Steps, freePort, serverCli, start, stopAll, tempDir, until, waitForPort } from "./harness.mjs";

const PINS = { Ali: "246810", Bo: "135790", Cem: "112358" };
const IDLE_SECS = 6;
const NOTE = "Tre jenter ved skolen, snakket om eksamen";

async function setUpServer() {
  const dir = tempDir("feltlogg-lock-e2e-server-");
  const db = path.join(dir, "server.db");
  const unit = serverCli(db, ["unit", "add", "--name", "Utekontakten Test", "--bydel", "030102"]);
  for (const [name, pin] of Object.entries(PINS)) {
    serverCli(db, ["user", "add", "--username", name.toLowerCase(), "--display-name", name, "--role", "worker", "--unit", unit, "--pin", pin]);
  }
  const code = serverCli(db, ["enrol-code", "--unit", unit]);
  const port = await freePort();
  const bin = path.join(path.dirname(APP_BIN), "feltlogg-server");
  start(bin, ["--db", db, "serve", "--bind", `127.0.0.1:${port}`], { env: { ...process.env, RUST_LOG: "warn" } });
  await waitForPort(port);
  return { code, url: `http://127.0.0.1:${port}` };
}

/** tauri-driver with the app's environment; each session starts the app anew on the same data. */
async function startDriver(server) {
  const port = await freePort();
  const appData = tempDir("feltlogg-lock-e2e-app-");
  start("tauri-driver", ["--port", String(port), "--native-port", String(await freePort())], {
    env: {
      ...process.env,
      FELTLOGG_DATA_DIR: appData,
      FELTLOGG_SERVER_URL: server.url,
      FELTLOGG_ENROL_CODE: server.code,
      FELTLOGG_LOCK_IDLE_SECS: String(IDLE_SECS),
      XDG_DATA_HOME: path.join(appData, "xdg-data"),
      XDG_CONFIG_HOME: path.join(appData, "xdg-config"),
      XDG_CACHE_HOME: path.join(appData, "xdg-cache"),
    },
  });
  await waitForPort(port);
  return port;
}

async function session(port) {
  const d = await new Builder()
    .usingServer(`http://127.0.0.1:${port}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: APP_BIN } })
    .build();
  await d.wait(wdUntil.elementLocated(By.css("body[data-ready='true']")), 30000);
  return d;
}

const css = (d, sel) => d.findElement(By.css(sel));
async function type(d, sel, value) {
  const el = await d.wait(wdUntil.elementLocated(By.css(sel)), 10000);
  await el.clear();
  await el.sendKeys(value);
}
async function click(d, sel) {
  const el = await d.wait(wdUntil.elementLocated(By.css(sel)), 10000);
  await d.executeScript("arguments[0].scrollIntoView({ block: 'center' })", el);
  await el.click();
}
async function selectByText(d, sel, label) {
  await d.wait(wdUntil.elementLocated(By.css(sel)), 10000);
  const ok = await d.executeScript(
    `const s = document.querySelector(arguments[0]);
     const o = Array.from(s.options).find((o) => o.text === arguments[1]);
     if (!o) return false; s.value = o.value; s.dispatchEvent(new Event("change")); return true;`,
    sel, label,
  );
  if (!ok) throw new Error(`no option ${label} in ${sel}`);
}
const shown = async (d, sel) => {
  const els = await d.findElements(By.css(sel));
  return els.length > 0 && (await els[0].isDisplayed());
};
/** Waits for the lock screen, and checks why it says it locked and that the app is covered. */
async function lockScreen(d, reason, ms = 20000) {
  await until(() => shown(d, "#lock-title"), ms, "the lock screen");
  const said = await css(d, "#lock-reason").getAttribute("data-reason");
  if (said !== reason) throw new Error(`locked for ${said}, expected ${reason}`);
  if (await shown(d, "#root")) throw new Error("the app is not covered by the lock screen");
}
/** A command called straight through Tauri's IPC, as devtools could: its error kind, or "ok". */
function invoke(d, cmd, args = {}) {
  return d.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
       .then(() => done("ok"), (e) => done(e && e.kind ? e.kind : String(e)));`,
    cmd, args,
  );
}
/** Tries a PIN; the error line is cleared first, so the next words read are this try's. */
async function unlockWith(d, name, pin) {
  await d.executeScript("document.getElementById('lock-error')?.replaceChildren()");
  await selectByText(d, "#lock-worker", name);
  await type(d, "#lock-pin", pin);
  await click(d, "#lock-submit");
}
async function lockError(d, needle) {
  await until(async () => (await css(d, "#lock-error").getText()).includes(needle), 10000, `"${needle}" on the lock screen`);
}

async function run() {
  const server = await setUpServer();
  const port = await startDriver(server);
  let d = await session(port);
  const s = new Steps(d, path.join(ARTIFACTS, "..", "e2e-lock"));
  let shiftId = "";

  await s.step("the app enrols itself and opens unlocked", async () => {
    await d.wait(wdUntil.elementLocated(By.css("main[data-screen='home']")), 15000);
    if (await shown(d, "#lock-title")) throw new Error("locked right after enrolment");
  });
  await s.step("a shift is started", async () => {
    await click(d, "#start-shift");
    await d.wait(wdUntil.elementLocated(By.css("main[data-screen='start']")), 10000);
    await selectByText(d, "#worker-1", "Ali");
    await type(d, "#pin-1", PINS.Ali);
    await selectByText(d, "#worker-2", "Bo");
    await type(d, "#pin-2", PINS.Bo);
    await click(d, "#start-submit");
    await d.wait(wdUntil.elementLocated(By.css("#shift-head[data-status='open']")), 10000);
    shiftId = await css(d, "#shift-head").getAttribute("data-shift-id");
  });
  await s.step(`left alone for ${IDLE_SECS} s, the app locks over a half-written contact`, async () => {
    await click(d, "#new-encounter");
    await d.wait(wdUntil.elementLocated(By.css("main[data-screen='encounter'] #note")), 10000);
    await click(d, "fieldset[data-field='age_group'] label[data-value='16_18']");
    await click(d, "fieldset[data-field='topic'] label[data-value='school']");
    await type(d, "#note", NOTE);
    await lockScreen(d, "idle");
    if (!(await shown(d, "#lock-shift"))) throw new Error("the lock screen does not say the shift is open");
    const names = await d.executeScript("return Array.from(document.querySelectorAll('#lock-worker option')).map((o) => o.text).sort().join('|')");
    if (names !== "Ali|Bo") throw new Error(`offered to ${names}, not the two checked in`);
    await s.screenshot("lock-idle");
  });
  await s.step("while locked every command but the lock's is refused, also called directly", async () => {
    for (const cmd of ["home", "workers"]) {
      const kind = await invoke(d, cmd);
      if (kind !== "locked") throw new Error(`${cmd} answered ${kind}`);
    }
    const kind = await invoke(d, "shift_view", { shiftId });
    if (kind !== "locked") throw new Error(`shift_view answered ${kind}`);
    if ((await invoke(d, "lock_status")) !== "ok") throw new Error("the lock screen's own command is refused");
  });
  await s.step("four wrong PINs are refused, the fifth brings the wait", async () => {
    for (let i = 1; i <= 4; i++) {
      await unlockWith(d, "Ali", "000000");
      await lockError(d, "PIN-koden ble ikke godtatt");
    }
    await unlockWith(d, "Ali", "000000");
    await lockError(d, "Vent 30 sekunder");
    await unlockWith(d, "Ali", PINS.Ali);
    await lockError(d, "Vent");
    await s.screenshot("lock-wait");
  });
  await s.step("the partner opens it and the contact is as it was", async () => {
    await unlockWith(d, "Bo", PINS.Bo);
    await until(async () => !(await shown(d, "#lock-title")), 10000, "the lock to open");
    if (!(await shown(d, "main[data-screen='encounter']"))) throw new Error("not back on the contact");
    const note = await d.executeScript("return document.getElementById('note').value");
    if (note !== NOTE) throw new Error(`the note reads ${JSON.stringify(note)}`);
    for (const sel of ["fieldset[data-field='age_group'] label[data-value='16_18'] input", "fieldset[data-field='topic'] label[data-value='school'] input"]) {
      if (!(await css(d, sel).isSelected())) throw new Error(`${sel} lost its choice`);
    }
  });
  await s.step("the wait survives a restart of the app, which starts locked", async () => {
    await d.quit();
    d = await session(port);
    s.driver = d;
    await lockScreen(d, "started");
    await unlockWith(d, "Ali", PINS.Ali);
    await lockError(d, "Vent");
    await s.screenshot("lock-after-restart");
  });
  await s.step("after the partner opens it the shift is still open", async () => {
    await unlockWith(d, "Bo", PINS.Bo);
    await until(async () => !(await shown(d, "#lock-title")), 10000, "the lock to open");
    await click(d, "#continue-shift");
    await d.wait(wdUntil.elementLocated(By.css(`#shift-head[data-status='open'][data-shift-id='${shiftId}']`)), 10000);
  });
  await s.step("the page going to the background locks the app, and a reload does not open it", async () => {
    await d.executeScript(`
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));`);
    await lockScreen(d, "background", 10000);
    await d.executeScript("delete document.visibilityState");
    if ((await invoke(d, "home")) !== "locked") throw new Error("home answered while locked");
    await s.screenshot("lock-background");
    await d.executeScript("location.reload()");
    await d.wait(wdUntil.elementLocated(By.css("body[data-ready='true']")), 30000);
    await lockScreen(d, "background");
    await unlockWith(d, "Bo", PINS.Bo);
    await until(async () => !(await shown(d, "#lock-title")), 10000, "the lock to open");
    if ((await invoke(d, "home")) !== "ok") throw new Error("home refused after unlocking");
  });

  await d.quit().catch(() => {});
  return s;
}

let steps;
try {
  steps = await run();
} catch (e) {
  console.log(`FAIL set-up: ${e && e.stack ? e.stack : e}`);
  steps = { passed: 0, failed: 1, skipped: 0 };
} finally {
  stopAll();
}
console.log(`${steps.passed} passed, ${steps.failed} failed${steps.skipped ? `, ${steps.skipped} skipped` : ""}`);
process.exit(steps.failed ? 1 : 0);
