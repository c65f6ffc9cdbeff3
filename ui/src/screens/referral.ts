// Referrals of one encounter: their status (which can move on later, even
// in an approved shift) and a form to refer to a service.

import { api } from "../api";
import type { EncounterView, ReferralStatus, ShiftView, Span } from "../bindings";
import { h } from "../dom";
import { errorText, toAppError } from "../errors";
import { fixedStatus, intoField, showRefusal } from "../flagged";
import { liveMarks } from "../live";
import { t, vocab } from "../i18n";
import { alertBox, busy, chips, chosen, field, PRIVATE_TEXT } from "../widgets";
import { VOCAB } from "../vocab";

export function referrals(v: ShiftView, ev: EncounterView, reload: () => void): HTMLElement {
  const error = alertBox("error", "referral-error");
  const list = h(
    "ul",
    { class: "plain", id: "referrals" },
    ev.referrals.map((r) => {
      const label = t("ref.status", { service: vocab("service", r.service) });
      const select = h(
        "select",
        {
          "data-referral-id": r.id,
          onchange: async () => {
            const status = select.value as ReferralStatus;
            try {
              await api.updateReferral(r.id, status, r.note, null);
              reload();
            } catch (e) {
              const app = toAppError(e);
              if (app.kind !== "personal_data" || !r.note) {
                error.textContent = errorText(app);
                return;
              }
              // A note saved before the screen knew better: the status moves
              // on only with the note fixed, and the fix is saved (and
              // screened) through the same command.
              await showRefusal({
                box: error,
                id: `referral-${r.id}`,
                text: r.note,
                error: app,
                apply: async (fixed) => {
                  await api.updateReferral(r.id, status, fixed, []);
                  reload();
                },
                confirm: async (text, spans) => {
                  await api.updateReferral(r.id, status, text, spans);
                  reload();
                },
              });
            }
          },
        },
        VOCAB.ref_status.map((s) => h("option", { value: s, selected: s === r.status }, vocab("ref_status", s))),
      );
      return h("li", { class: "card", "data-service": r.service }, field(label, select), r.note ? h("p", {}, r.note) : null);
    }),
  );
  const note = h("textarea", { id: "referral-note", rows: "2", ...PRIVATE_TEXT });
  const noteLive = liveMarks(note, "referral-note");
  const noteError = alertBox("error", "referral-note-error");
  const noteFixed = fixedStatus("referral-note");
  const submit = h("button", { type: "submit", class: "primary", id: "add-referral" }, t("ref.submit"));
  const add: HTMLFormElement = h(
    "form",
    {
      class: "card",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = "";
        noteFixed.textContent = "";
        const service = chosen(add, "service")[0];
        if (!service) return;
        const text = note.value.trim();
        const refer = async (value: string, spans: Span[]) => {
          await busy(submit, t("common.loading"), () =>
            api.addReferral(ev.encounter.id, service as (typeof VOCAB.service)[number], value || null, spans),
          );
          reload();
        };
        try {
          await refer(text, []);
        } catch (err) {
          const app = toAppError(err);
          if (app.kind !== "personal_data") {
            error.textContent = errorText(app);
            return;
          }
          const current = () => note.value.trim();
          const confirm = async (value: string, spans: Span[]) => {
            note.value = value;
            await refer(value, spans);
          };
          await showRefusal({ box: noteError, id: "referral-note", text, error: app, current, done: noteFixed, apply: intoField(note, noteFixed), confirm });
        }
      },
    },
    chips({ name: "service", legend: t("ref.service"), group: "service", values: VOCAB.service, selected: [] }),
    field(t("ref.note"), note, t("enc.note_hint"), [noteLive, noteError, noteFixed]),
    submit,
  );
  return h(
    "section",
    { "aria-labelledby": "ref-h" },
    h("h3", { id: "ref-h" }, t("enc.referrals")),
    ev.referrals.length ? list : h("p", { class: "muted" }, t("common.none")),
    error,
    v.editable ? h("details", {}, h("summary", { class: "button", id: "open-referral" }, t("ref.add")), add) : null,
  );
}
