// The shift: who is checked in (logging blocked with an explanation when
// fewer than two), a big "Ny kontakt" button, today's encounters, check in
// and out, close. Returned shifts show the team lead's comment and stay
// editable until closed again; approved shifts are read-only.

import { api } from "../api";
import type { EncounterView, ShiftView, Worker } from "../bindings";
import { h, replace } from "../dom";
import { errorText } from "../errors";
import { clock, t, vocab } from "../i18n";
import { go } from "../main";
import { alertBox, busy, field, title } from "../widgets";
import { statusBadge, summaryLine } from "./home";

function members(v: ShiftView, error: HTMLElement, redraw: (v: ShiftView) => void): HTMLElement {
  return h(
    "ul",
    { class: "plain", id: "members" },
    v.members.map((m) => {
      const present = m.checked_out_ms === null;
      const out = h(
        "button",
        {
          type: "button",
          class: "small",
          "data-check-out": m.worker_id,
          onclick: async () => {
            try {
              redraw(await api.checkOut(v.shift.id, m.worker_id));
            } catch (e) {
              error.textContent = errorText(e);
            }
          },
        },
        t("shift.check_out", { name: m.name }),
      );
      return h(
        "li",
        { class: "member", "data-worker": m.worker_id, "data-present": String(present) },
        h(
          "span",
          {},
          h("strong", {}, m.name),
          " ",
          present
            ? h("span", { class: "present" }, t("shift.present"))
            : h("span", { class: "muted" }, t("shift.out", { time: clock(m.checked_out_ms ?? 0) })),
        ),
        present && v.shift.status === "open" ? out : null,
      );
    }),
  );
}

function checkInForm(v: ShiftView, workers: Worker[], error: HTMLElement, redraw: (v: ShiftView) => void): HTMLElement | null {
  const present = new Set(v.members.filter((m) => m.checked_out_ms === null).map((m) => m.worker_id));
  const free = workers.filter((w) => !present.has(w.id));
  if (v.shift.status !== "open" || free.length === 0) return null;
  const select = h("select", { id: "checkin-worker" }, free.map((w) => h("option", { value: w.id }, w.name)));
  const pin = h("input", { type: "password", id: "checkin-pin", inputmode: "numeric", autocomplete: "off", maxlength: "6" });
  const submit = h("button", { type: "submit", id: "checkin-submit" }, t("shift.check_in"));
  return h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        error.textContent = "";
        try {
          redraw(await busy(submit, t("common.loading"), () => api.checkIn(v.shift.id, select.value, pin.value)));
        } catch (e) {
          pin.value = "";
          error.textContent = errorText(e);
        }
      },
    },
    field(t("shift.check_in_worker"), select),
    field(t("start.pin", { n: "" }).trim(), pin),
    submit,
  );
}

function encounterRow(shiftId: string, e: EncounterView): HTMLElement {
  const x = e.encounter;
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", class: "card link", "data-encounter-id": x.id, onclick: () => go(`/shift/${shiftId}/encounter/${x.id}`) },
      h("strong", {}, clock(x.at_ms)),
      " · ",
      `${x.youth_count} × ${vocab("age_group", x.age_group)}, ${vocab("gender", x.gender)}`,
      h("div", { class: "muted" }, vocab("place_type", x.place_type), " · ", vocab("contact_kind", x.contact_kind)),
      e.referrals.length ? h("div", {}, t("shift.referral_count", { n: e.referrals.length })) : null,
    ),
  );
}

function actions(v: ShiftView): HTMLElement | null {
  const s = v.shift;
  if (s.status === "approved") return h("p", { class: "alert ok", id: "readonly" }, t("shift.readonly"));
  if (s.status === "closed") return null;
  const paused = s.status === "open" && v.present < 2;
  const newButton = h(
    "button",
    {
      type: "button",
      class: "primary big",
      id: "new-encounter",
      "aria-disabled": paused ? "true" : null,
      "aria-describedby": paused ? "paused" : null,
      onclick: () => {
        if (!paused) go(`/shift/${s.id}/encounter/new`);
      },
    },
    t("shift.new_encounter"),
  );
  return h(
    "div",
    {},
    paused ? h("p", { class: "alert warn", id: "paused", role: "status" }, t("shift.paused", { n: v.present })) : null,
    s.status === "open" ? newButton : null,
  );
}

function draw(main: HTMLElement, v: ShiftView, workers: Worker[], bydel: string): void {
  const error = alertBox("error", "shift-error");
  const redraw = (nv: ShiftView) => draw(main, nv, workers, bydel);
  const s = v.shift;
  const closeLabel = s.status === "returned" ? t("shift.close_again") : t("shift.close");
  replace(
    main,
    h("button", { type: "button", class: "small", onclick: () => go("/home") }, t("common.back")),
    title(t("shift.title", { bydel })),
    h("div", { class: "row", "data-shift-id": s.id, "data-status": s.status, id: "shift-head" }, statusBadge(s.status), h("span", { class: "muted" }, s.area_note)),
    h("p", { id: "shift-summary" }, summaryLine(v.summary)),
    v.comment && s.status !== "approved"
      ? h("div", { class: "alert warn", id: "lead-comment" }, h("strong", {}, t("shift.comment"), ": "), v.comment)
      : null,
    actions(v),
    error,
    h("h3", {}, t("shift.partners")),
    members(v, error, redraw),
    checkInForm(v, workers, error, redraw),
    h("h3", { id: "enc-h" }, t("shift.encounters")),
    v.encounters.length
      ? h("ul", { class: "plain", id: "encounters", "aria-labelledby": "enc-h" }, v.encounters.slice().reverse().map((e) => encounterRow(s.id, e)))
      : h("p", { id: "encounters-empty", class: "muted" }, t("shift.no_encounters")),
    s.status === "open" || s.status === "returned"
      ? h("button", { type: "button", class: "big", id: "close-shift", onclick: () => go(`/shift/${s.id}/close`) }, closeLabel)
      : null,
  );
}

export async function renderShift(main: HTMLElement, shiftId: string): Promise<void> {
  const [v, workers, areas] = await Promise.all([api.shiftView(shiftId), api.workers(), api.areas()]);
  const bydel = areas.find((a) => a.code === v.shift.bydel)?.name ?? v.shift.bydel;
  draw(main, v, workers, bydel);
}
