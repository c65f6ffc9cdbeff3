// The sync bar at the top of every screen: changes waiting, last sync,
// last error in plain words, and a button. The background task in the
// shell syncs by itself; this only reads its status every few seconds.
//
// The bar is built once and its texts are updated in place, and only when
// they change: the button a finger (or a screen reader's focus) is on is
// never swapped out by a poll, and the live region announces a change, not
// every poll.

import { api } from "./api";
import type { SyncView } from "./bindings";
import { h, replace } from "./dom";
import { clock, dateTime, has, t, type Key } from "./i18n";
import { go } from "./main";

const POLL_MS = 3000;
let timer: number | undefined;
let syncing = false;
let last: SyncView | null = null;

interface Parts {
  bar: HTMLElement;
  pending: HTMLElement;
  lastSync: HTMLElement;
  button: HTMLButtonElement;
  refused: HTMLButtonElement;
  error: HTMLElement;
}
let parts: Parts | null = null;

/** Starts the bar (hidden until the phone is enrolled). */
export function mountSyncBar(el: HTMLElement, enrolled: boolean): void {
  const live = { role: "status", "aria-live": "polite" };
  parts = {
    bar: el,
    pending: h("div", { id: "sync-pending", ...live }),
    lastSync: h("div", { id: "sync-last", class: "muted" }),
    button: h("button", { type: "button", class: "small", id: "sync-now", onclick: () => void syncNow() }),
    refused: h("button", { type: "button", class: "small danger", id: "sync-refused", hidden: true, onclick: () => go("/refused") }),
    error: h("p", { class: "err", id: "sync-error", role: "alert", hidden: true }),
  };
  const p = parts;
  replace(el, h("div", { class: "row" }, h("div", {}, p.pending, p.lastSync), p.button), p.refused, p.error);
  el.hidden = true; // until the first status arrives
  if (enrolled) void refreshSync();
}

function when(ms: number | null): string {
  if (ms === null) return t("sync.never");
  const today = new Date().toDateString() === new Date(ms).toDateString();
  return t("sync.last", { time: today ? clock(ms) : dateTime(ms) });
}

function pendingText(n: number): string {
  if (n === 0) return t("sync.pending_none");
  return n === 1 ? t("sync.pending_one") : t("sync.pending", { n });
}

function refusedText(n: number): string | null {
  if (n === 0) return null;
  return n === 1 ? t("refused.open_one") : t("refused.open", { n });
}

function errorLine(v: SyncView): string | null {
  if (!v.last_error) return null;
  const key = v.last_error_kind ? `error.${v.last_error_kind}` : "";
  return has(key) ? t(key as Key, { message: v.last_error, secs: 0 }) : v.last_error;
}

/** Writes `text` into `el` only when it differs; `null` hides the element. */
function setText(el: HTMLElement, text: string | null): void {
  el.hidden = text === null;
  const value = text ?? "";
  if (el.textContent !== value) el.textContent = value;
}

function paint(v: SyncView): void {
  if (!parts) return;
  const p = parts;
  p.bar.hidden = false;
  p.bar.dataset.pending = String(v.pending_changes);
  setText(p.pending, pendingText(v.pending_changes));
  setText(p.lastSync, when(v.last_success_ms));
  setText(p.button, syncing ? t("sync.busy") : t("sync.now"));
  p.button.disabled = syncing;
  setText(p.refused, refusedText(v.refused));
  setText(p.error, errorLine(v));
}

/** Reads the status now and schedules the next read. */
export async function refreshSync(): Promise<void> {
  window.clearTimeout(timer);
  try {
    const before = last;
    last = await api.syncStatus();
    // The shell wiped the phone on a signed instruction while the app ran:
    // back to enrolment (only on the change, seen in this session).
    if (before && before.last_error_kind !== "wiped" && last.last_error_kind === "wiped") {
      window.dispatchEvent(new Event("feltlogg:wiped"));
    }
  } catch {
    // The next poll tries again; the bar keeps its last state.
  }
  if (last) paint(last);
  timer = window.setTimeout(() => void refreshSync(), POLL_MS);
}

async function syncNow(): Promise<void> {
  syncing = true;
  if (last) paint(last);
  try {
    await api.syncNow();
  } catch {
    // The shell keeps the error as the last sync error; the bar shows it.
  }
  syncing = false;
  await refreshSync();
  window.dispatchEvent(new Event("feltlogg:synced"));
}
