// The sync bar at the top of every screen: changes waiting, last sync,
// last error in plain words, and a button. The background task in the
// shell syncs by itself; this only reads its status every few seconds.

import { api } from "./api";
import type { SyncView } from "./bindings";
import { h, replace } from "./dom";
import { clock, dateTime, has, t, type Key } from "./i18n";

const POLL_MS = 3000;
let bar: HTMLElement | null = null;
let timer: number | undefined;
let syncing = false;

/** Starts the bar (hidden until the phone is enrolled). */
export function mountSyncBar(el: HTMLElement, enrolled: boolean): void {
  bar = el;
  if (enrolled) void refreshSync();
}

function when(ms: number | null): string {
  if (ms === null) return t("sync.never");
  const today = new Date().toDateString() === new Date(ms).toDateString();
  return t("sync.last", { time: today ? clock(ms) : dateTime(ms) });
}

function errorLine(v: SyncView): string | null {
  if (!v.last_error) return null;
  const key = v.last_error_kind ? `error.${v.last_error_kind}` : "";
  return has(key) ? t(key as Key, { message: v.last_error, secs: 0 }) : v.last_error;
}

function paint(v: SyncView): void {
  if (!bar) return;
  bar.dataset.pending = String(v.pending_changes);
  const button = h(
    "button",
    { type: "button", class: "small", id: "sync-now", onclick: () => void syncNow() },
    syncing ? t("sync.busy") : t("sync.now"),
  );
  if (syncing) button.disabled = true;
  const err = errorLine(v);
  replace(
    bar,
    h(
      "div",
      { class: "row" },
      h(
        "div",
        {},
        h("div", { id: "sync-pending" }, v.pending_changes === 0 ? t("sync.pending_none") : t("sync.pending", { n: v.pending_changes })),
        h("div", { id: "sync-last", class: "muted" }, when(v.last_success_ms)),
      ),
      button,
    ),
    v.refused > 0 ? h("p", { class: "err" }, t("sync.refused", { n: v.refused })) : null,
    err ? h("p", { class: "err", id: "sync-error" }, err) : null,
  );
}

/** Reads the status now and schedules the next read. */
export async function refreshSync(): Promise<void> {
  window.clearTimeout(timer);
  try {
    paint(await api.syncStatus());
  } catch {
    // The next poll tries again; the bar keeps its last state.
  }
  timer = window.setTimeout(() => void refreshSync(), POLL_MS);
}

async function syncNow(): Promise<void> {
  syncing = true;
  await refreshSync();
  try {
    await api.syncNow();
  } catch {
    // The shell keeps the error as the last sync error; the bar shows it.
  }
  syncing = false;
  await refreshSync();
  window.dispatchEvent(new Event("feltlogg:synced"));
}
