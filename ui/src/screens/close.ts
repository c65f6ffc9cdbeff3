// Closing a shift: the summary (field hours, encounters, youths,
// referrals) and the pair's optional, screened reflection.

import { api } from "../api";
import { h, replace } from "../dom";
import { errorText, toAppError } from "../errors";
import type { Span } from "../bindings";
import { fixedStatus, intoField, showRefusal } from "../flagged";
import { liveMarks } from "../live";
import { t } from "../i18n";
import { go } from "../main";
import { alertBox, busy, field, PRIVATE_TEXT, title } from "../widgets";

export async function renderClose(main: HTMLElement, shiftId: string): Promise<void> {
  const v = await api.shiftView(shiftId);
  const s = v.summary;
  const reflection = h("textarea", { id: "reflection", name: "reflection", rows: "4", ...PRIVATE_TEXT }, v.shift.reflection ?? "");
  const live = liveMarks(reflection, "reflection");
  const error = alertBox("error", "close-error");
  const fixed = fixedStatus("reflection");
  const submit = h("button", { type: "submit", class: "primary big", id: "close-submit" }, t("close.submit"));
  const figure = (label: string, value: string, id: string) =>
    h("div", { class: "row" }, h("dt", {}, label), h("dd", { id }, value));
  replace(
    main,
    h("button", { type: "button", class: "small", onclick: () => go(`/shift/${shiftId}`) }, t("common.back")),
    title(t("close.title")),
    h(
      "dl",
      { class: "card", id: "close-summary" },
      figure(t("close.hours"), (s.field_hours ?? 0).toFixed(1), "sum-hours"),
      figure(t("close.encounters"), String(s.encounters), "sum-encounters"),
      figure(t("close.youths"), String(s.youths), "sum-youths"),
      figure(t("close.referrals"), String(s.referrals), "sum-referrals"),
    ),
    h(
      "form",
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          error.textContent = "";
          fixed.textContent = "";
          const text = reflection.value.trim();
          const close = async (value: string, spans: Span[]) => {
            await busy(submit, t("common.loading"), () => api.closeShift(shiftId, value || null, spans));
            go(`/shift/${shiftId}`);
          };
          try {
            await close(text, []);
          } catch (e) {
            const app = toAppError(e);
            if (app.kind === "personal_data" && app.field === "reflection") {
              const current = () => reflection.value.trim();
              const confirm = async (value: string, spans: Span[]) => {
                reflection.value = value;
                await close(value, spans);
              };
              await showRefusal({ box: error, id: "reflection", text, error: app, current, done: fixed, apply: intoField(reflection, fixed), confirm });
              return;
            }
            error.textContent = errorText(app);
          }
        },
      },
      field(t("close.reflection"), reflection, t("enc.note_hint"), [live, error, fixed]),
      submit,
    ),
  );
}
