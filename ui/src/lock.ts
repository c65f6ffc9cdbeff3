// The lock screen. The lock itself lives in the shell (src-tauri/src/lock.rs):
// while it holds, every command but the lock's and the sync bar's is refused
// there, so this screen is only its face. It covers the app without touching
// it: the screen underneath (a half-written contact) is hidden, not redrawn,
// and is there again, as it was, when a worker opens the lock with their PIN.
//
// This file tells the shell of use (a tap or a key, at most every 10 s, or a
// quarter of the idle time if that is shorter) and
// of the page being hidden, and asks again when the idle time should have
// run out, or every few seconds while the no-contact lock waits for a sync.

import { api } from "./api";
import type { LockKind, LockView } from "./bindings";
import { h, replace } from "./dom";
import { errorText } from "./errors";
import { t, type Key } from "./i18n";

const PING_MS = 10_000;
const NO_CONTACT_POLL_MS = 5_000;

let current: LockView | null = null;
let lastPing = 0;
let timer: number | undefined;
let screen: HTMLElement;
let covered: HTMLElement;
let onOpen: () => void = () => {};

/** Whether the lock screen is up. */
export function isLocked(): boolean {
  return Boolean(current?.reason);
}

/** Puts the lock screen in `host` over `cover` (the app), starts watching
 * for use and for the page going to the background, and asks the shell.
 * `opened` runs each time the lock opens. */
export async function mountLock(host: HTMLElement, cover: HTMLElement, opened: () => void): Promise<void> {
  screen = h("main", { id: "lock", "data-screen": "lock", "aria-labelledby": "lock-title", hidden: true });
  host.appendChild(screen);
  covered = cover;
  onOpen = opened;
  for (const ev of ["pointerdown", "mousedown", "touchstart", "keydown", "input"]) {
    document.addEventListener(ev, () => ping(), { capture: true, passive: true });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") void ask(api.lockNow());
    else void refreshLock();
  });
  // Opening the app is use: it keeps an open lock open (never opens a closed one).
  await ask(api.activity());
}

/** Asks the shell for the lock's state and shows it. */
export async function refreshLock(): Promise<void> {
  await ask(api.lockStatus());
}

function ping(): void {
  // Often enough that steady use never runs into a short idle time.
  const every = Math.min(PING_MS, (current?.idle_ms ?? PING_MS) / 4);
  if (isLocked() || Date.now() - lastPing < every) return;
  lastPing = Date.now();
  void ask(api.activity());
}

async function ask(call: Promise<LockView>): Promise<void> {
  try {
    show(await call);
  } catch {
    // The shell did not answer: keep what is on screen; the next ask decides.
  }
}

function show(v: LockView): void {
  const was = current?.reason ?? null;
  current = v;
  window.clearTimeout(timer);
  if (v.reason === null) {
    screen.hidden = true;
    covered.hidden = false;
    timer = window.setTimeout(() => void refreshLock(), v.idle_remaining_ms + 250);
    if (was !== null) onOpen();
    return;
  }
  if (v.reason === "no_contact") timer = window.setTimeout(() => void refreshLock(), NO_CONTACT_POLL_MS);
  // Drawn again only when the kind changes, so a poll never clears a PIN being typed.
  const redraw = was !== v.reason || screen.hidden;
  covered.hidden = true;
  screen.hidden = false;
  // After unhiding: a hidden field cannot take the focus.
  if (redraw) draw(v);
}

const REASON: Record<LockKind, Key> = {
  started: "lock.started",
  idle: "lock.idle",
  background: "lock.background",
  no_contact: "lock.no_contact",
};

function draw(v: LockView): void {
  const reason = v.reason as LockKind;
  const minutes = Math.max(1, Math.round(v.idle_ms / 60_000));
  const days = Math.max(1, Math.round(v.no_contact_ms / 86_400_000));
  const body = reason === "no_contact" ? syncForm() : pinForm(v);
  replace(
    screen,
    h("h1", { id: "lock-title", tabindex: "-1" }, t("lock.title")),
    h("p", { id: "lock-reason", "data-reason": reason }, t(REASON[reason], { minutes, days })),
    v.shift_open ? h("p", { id: "lock-shift" }, t("lock.shift_open")) : null,
    body,
  );
  const first = screen.querySelector<HTMLElement>("#lock-pin, #lock-sync");
  (first ?? document.getElementById("lock-title"))?.focus({ preventScroll: true });
}

function pinForm(v: LockView): HTMLElement {
  const error = h("p", { id: "lock-error", class: "err", role: "alert" });
  const worker = h(
    "select",
    { id: "lock-worker", required: true },
    v.unlockers.map((w) => h("option", { value: w.id }, w.name)),
  );
  const pin = h("input", {
    id: "lock-pin", type: "password", inputmode: "numeric", autocomplete: "off",
    maxlength: "6", required: true, "aria-describedby": "lock-error",
  });
  const submit = h("button", { id: "lock-submit", type: "submit" }, t("lock.submit"));
  const form = h(
    "form",
    {
      id: "lock-form",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        submit.disabled = true;
        replace(error);
        try {
          show(await api.unlock(worker.value, pin.value));
        } catch (e) {
          replace(error, errorText(e));
          pin.value = "";
          pin.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("label", { for: "lock-worker" }, t("lock.worker")),
    worker,
    h("label", { for: "lock-pin" }, t("lock.pin")),
    pin,
    submit,
  );
  return h("div", {}, form, error);
}

function syncForm(): HTMLElement {
  const status = h("p", { id: "lock-sync-status", role: "status", "aria-live": "polite" });
  const button = h("button", { id: "lock-sync", type: "button" }, t("lock.sync"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    replace(status, t("sync.busy"));
    try {
      await api.syncNow();
      replace(status);
      await refreshLock();
    } catch (e) {
      replace(status, errorText(e));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", {}, h("p", {}, t("lock.no_contact_help")), button, status);
}
