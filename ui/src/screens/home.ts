// Home: the open shift (or start one), and the recent shifts with their
// status; a returned shift shows the team lead's comment.

import { api } from "../api";
import type { ShiftSummary } from "../bindings";
import { h, replace } from "../dom";
import { dateTime, t, type Key } from "../i18n";
import { go } from "../main";
import { title } from "../widgets";

/** "3.5 t · 3 kontakter · 1 formidling". */
export function summaryLine(s: ShiftSummary["summary"]): string {
  return t("shift.summary", {
    hours: (s.field_hours ?? 0).toFixed(1),
    encounters: s.encounters,
    referrals: s.referrals,
  });
}

export function statusBadge(status: string): HTMLElement {
  return h("span", { class: "badge", "data-status": status }, t(`shift.status.${status}` as Key));
}

function shiftCard(s: ShiftSummary, bydelName: (code: string) => string): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      class: "card link",
      "data-shift-id": s.shift.id,
      onclick: () => go(`/shift/${s.shift.id}`),
    },
    h("div", { class: "row" }, h("strong", {}, bydelName(s.shift.bydel)), statusBadge(s.shift.status)),
    h("div", { class: "muted" }, dateTime(s.shift.started_ms), " · ", summaryLine(s.summary)),
    s.shift.status === "returned" && s.comment
      ? h("p", {}, h("strong", {}, t("home.returned_note"), ": "), s.comment)
      : null,
  );
}

export async function renderHome(main: HTMLElement): Promise<void> {
  const [home, areas] = await Promise.all([api.home(), api.areas()]);
  const bydelName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  const open = home.open_shift;
  const others = home.shifts.filter((s) => s.shift.id !== open?.shift.id);
  replace(
    main,
    title(t("home.title")),
    open
      ? h(
          "section",
          { "aria-labelledby": "open-h" },
          h("h3", { id: "open-h" }, t("home.open")),
          shiftCard(open, bydelName),
          h("button", { type: "button", class: "primary big", id: "continue-shift", onclick: () => go(`/shift/${open.shift.id}`) }, t("home.continue")),
        )
      : h(
          "section",
          {},
          h("p", {}, t("home.none")),
          h("button", { type: "button", class: "primary big", id: "start-shift", onclick: () => go("/start") }, t("home.start")),
        ),
    others.length
      ? h("section", { "aria-labelledby": "recent-h" }, h("h3", { id: "recent-h" }, t("home.recent")), others.map((s) => shiftCard(s, bydelName)))
      : null,
  );
}
