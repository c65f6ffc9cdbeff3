// The app shell: language switch, the sync bar (always visible) and a
// hash router over the screens.

import "./style.css";
import { api } from "./api";
import { replace } from "./dom";
import { errorText, toAppError } from "./errors";
import { lang, setLang, t } from "./i18n";
import { mountSyncBar, refreshSync } from "./syncbar";
import { isLocked, mountLock, refreshLock } from "./lock";
import { renderEnrol } from "./screens/enrol";
import { renderHome } from "./screens/home";
import { renderStart } from "./screens/start";
import { renderShift } from "./screens/shift";
import { renderClose } from "./screens/close";
import { renderEncounter } from "./screens/encounter";
import { renderRefused } from "./screens/refused";

const main = document.getElementById("app") as HTMLElement;
const langButton = document.getElementById("lang") as HTMLButtonElement;

/** Goes to a screen, e.g. `go("/shift/ID")`. */
export function go(path: string): void {
  if (location.hash === `#${path}`) void route();
  else location.hash = path;
}

type Screen = (main: HTMLElement, ...params: string[]) => Promise<void>;
const routes: [string, RegExp, Screen][] = [
  ["enrol", /^\/enrol$/, renderEnrol],
  ["home", /^\/home$/, renderHome],
  ["start", /^\/start$/, renderStart],
  ["shift", /^\/shift\/([\w-]+)$/, renderShift],
  ["close", /^\/shift\/([\w-]+)\/close$/, renderClose],
  ["encounter", /^\/shift\/([\w-]+)\/encounter\/new$/, (m, s) => renderEncounter(m, s, null)],
  ["encounter", /^\/shift\/([\w-]+)\/encounter\/([\w-]+)$/, (m, s, e) => renderEncounter(m, s, e)],
  ["refused", /^\/refused$/, renderRefused],
];

let enrolled = false;
let renders = 0;
// A screen the lock refused to fill: drawn again when the lock opens.
let refusedByLock = false;

async function route(): Promise<void> {
  const path = location.hash.replace(/^#/, "") || (enrolled ? "/home" : "/enrol");
  if (!enrolled && path !== "/enrol") return go("/enrol");
  for (const [name, pattern, screen] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    // Each screen draws into a fresh container that replaces the old one
    // only if no newer navigation started meanwhile.
    const token = ++renders;
    const view = document.createElement("div");
    try {
      await screen(view, ...m.slice(1));
    } catch (e) {
      if (toAppError(e).kind === "locked") refusedByLock = true;
      replace(view, errorText(e));
    }
    if (token !== renders) return;
    main.replaceChildren(view);
    main.dataset.screen = name;
    document.getElementById("screen-title")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    return;
  }
  go(enrolled ? "/home" : "/enrol");
}

/** Called by the enrol screen once the phone is connected. */
export function markEnrolled(): void {
  enrolled = true;
  void refreshSync();
  void refreshLock();
}

function paintChrome(): void {
  document.documentElement.lang = lang();
  langButton.textContent = t("lang.switch");
  langButton.setAttribute("lang", lang() === "nb" ? "en" : "nb");
  langButton.setAttribute("aria-label", `${t("lang.label")}: ${t("lang.switch")}`);
}

async function start(): Promise<void> {
  paintChrome();
  langButton.addEventListener("click", () => {
    setLang(lang() === "nb" ? "en" : "nb");
    paintChrome();
    void refreshSync();
    void route();
  });
  try {
    enrolled = (await api.appInfo()).enrolled;
  } catch (e) {
    replace(main, errorText(e));
    return;
  }
  mountSyncBar(document.getElementById("sync") as HTMLElement, enrolled);
  // The lock covers the app and leaves it as it is; when it opens, only a
  // screen it refused, or one that only shows data, is drawn again.
  await mountLock(document.body, document.getElementById("root") as HTMLElement, () => {
    if (refusedByLock || /^#\/(home|shift\/[\w-]+)$/.test(location.hash)) {
      refusedByLock = false;
      void route();
    }
  });
  window.addEventListener("hashchange", () => void route());
  window.addEventListener("feltlogg:wiped", () => {
    if (!enrolled) return;
    enrolled = false;
    go("/enrol");
  });
  // After a sync, screens that only show data are drawn again (a pulled
  // approval locks the shift on screen); forms being filled are left alone.
  window.addEventListener("feltlogg:synced", () => {
    if (!isLocked() && /^#\/(home|shift\/[\w-]+)$/.test(location.hash)) void route();
  });
  await route();
  // Time from navigation start to the first screen, read by the benchmark.
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
}

void start();
