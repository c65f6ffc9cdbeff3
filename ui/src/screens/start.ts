// Start a shift: bydel, planned area, and two (or more) workers who each
// pick their name and enter their PIN. The two-worker rule is enforced by
// the store; this screen only shows its answer.

import { api } from "../api";
import type { Span, Worker, WorkerPin } from "../bindings";
import { h, replace } from "../dom";
import { errorText, toAppError } from "../errors";
import { fixedStatus, intoField, showRefusal } from "../flagged";
import { liveMarks } from "../live";
import { t } from "../i18n";
import { go } from "../main";
import { alertBox, busy, field, title } from "../widgets";

function workerSlot(n: number, workers: Worker[]): HTMLElement {
  const select = h(
    "select",
    { name: `worker-${n}`, id: `worker-${n}` },
    h("option", { value: "" }, t("start.pick")),
    workers.map((w) => h("option", { value: w.id }, w.name)),
  );
  const pin = h("input", {
    type: "password",
    name: `pin-${n}`,
    id: `pin-${n}`,
    inputmode: "numeric",
    autocomplete: "off",
    maxlength: "6",
    pattern: "[0-9]*",
  });
  return h(
    "fieldset",
    { class: "card", "data-slot": String(n) },
    h("legend", {}, t("start.worker", { n })),
    field(t("start.pick"), select),
    field(t("start.pin", { n }), pin),
  );
}

export async function renderStart(main: HTMLElement): Promise<void> {
  const [workers, areas] = await Promise.all([api.workers(), api.areas()]);
  const bydel = h(
    "select",
    { name: "bydel", id: "bydel" },
    areas.map((a) => h("option", { value: a.code }, a.name)),
  );
  const area = h("input", { type: "text", name: "area_note", id: "area-note", autocomplete: "off" });
  const areaLive = liveMarks(area, "area-note");
  const areaError = alertBox("error", "area-note-error");
  const areaFixed = fixedStatus("area-note");
  const slots = h("div", {}, workerSlot(1, workers), workerSlot(2, workers));
  const error = alertBox("error", "start-error");
  const submit = h("button", { type: "submit", class: "primary big", id: "start-submit" }, t("start.submit"));
  const addWorker = h(
    "button",
    {
      type: "button",
      onclick: () => slots.appendChild(workerSlot(slots.children.length + 1, workers)),
    },
    t("start.add_worker"),
  );
  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        error.textContent = "";
        areaError.textContent = "";
        areaFixed.textContent = "";
        const areaNote = area.value.trim();
        const chosen: WorkerPin[] = [];
        slots.querySelectorAll("fieldset").forEach((fs) => {
          const id = fs.querySelector("select")?.value ?? "";
          const pin = fs.querySelector("input")?.value ?? "";
          if (id) chosen.push({ worker_id: id, pin });
        });
        const start = async (text: string, spans: Span[]) => {
          const shiftId = await busy(submit, t("common.loading"), () => api.startShift(bydel.value, text, spans, chosen));
          go(`/shift/${shiftId}`);
        };
        try {
          await start(areaNote, []);
        } catch (e) {
          const app = toAppError(e);
          if (app.kind === "personal_data") {
            // The area is screened before any PIN is checked: the PINs stay,
            // so the fix (or "Dette er ikke en person") is one tap.
            const current = () => area.value.trim();
            const confirm = async (text: string, spans: Span[]) => {
              area.value = text;
              await start(text, spans);
            };
            await showRefusal({ box: areaError, id: "area-note", text: areaNote, error: app, current, done: areaFixed, apply: intoField(area, areaFixed), confirm });
            return;
          }
          error.textContent = errorText(app);
          slots.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((p) => (p.value = ""));
        }
      },
    },
    field(t("start.bydel"), bydel),
    field(t("start.area"), area, t("start.area_hint"), [areaLive, areaError, areaFixed]),
    h("p", {}, t("start.rule")),
    slots,
    addWorker,
    error,
    submit,
  );
  replace(
    main,
    h("button", { type: "button", class: "small", onclick: () => go("/home") }, t("common.back")),
    title(t("start.title")),
    form,
  );
}
