// Referrals of one encounter: their status (which can move on later, even
// in an approved shift) and a form to refer to a service.

import { api } from "../api";
import type { EncounterView, ReferralStatus, ShiftView } from "../bindings";
import { h } from "../dom";
import { errorText } from "../errors";
import { t, vocab } from "../i18n";
import { alertBox, busy, chips, chosen, field } from "../widgets";
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
            try {
              await api.updateReferral(r.id, select.value as ReferralStatus, r.note);
              reload();
            } catch (e) {
              error.textContent = errorText(e);
            }
          },
        },
        VOCAB.ref_status.map((s) => h("option", { value: s, selected: s === r.status }, vocab("ref_status", s))),
      );
      return h("li", { class: "card", "data-service": r.service }, field(label, select), r.note ? h("p", {}, r.note) : null);
    }),
  );
  const note = h("textarea", { id: "referral-note", rows: "2" });
  const submit = h("button", { type: "submit", class: "primary", id: "add-referral" }, t("ref.submit"));
  const add: HTMLFormElement = h(
    "form",
    {
      class: "card",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = "";
        const service = chosen(add, "service")[0];
        if (!service) return;
        try {
          await busy(submit, t("common.loading"), () =>
            api.addReferral(ev.encounter.id, service as (typeof VOCAB.service)[number], note.value.trim() || null),
          );
          reload();
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    chips({ name: "service", legend: t("ref.service"), group: "service", values: VOCAB.service, selected: [] }),
    field(t("ref.note"), note, t("enc.note_hint")),
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
