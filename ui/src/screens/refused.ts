// The changes the server refused, each explained in the worker's language
// by its rule code, with the server's own words beneath. They are kept on
// the phone and the team lead sees the same list in the dashboard.

import { api } from "../api";
import type { RefusalCode, RefusalView } from "../bindings";
import { h, replace } from "../dom";
import { type Key, t } from "../i18n";
import { go } from "../main";
import { title } from "../widgets";

// One explanation per code the server gives. `RefusalCode` is generated
// from the Rust enum, so a code added there fails `npm run build` until it
// has its line here (and its text in both languages in i18n.ts).
const EXPLANATION: Record<RefusalCode, Key> = {
  unknown_value: "refused.unknown_value",
  need_two_to_start: "refused.need_two_to_start",
  need_two_to_log: "refused.need_two_to_log",
  already_on_open_shift: "refused.already_on_open_shift",
  already_checked_in: "refused.already_checked_in",
  shift_locked: "refused.shift_locked",
  bad_transition: "refused.bad_transition",
  personal_data: "refused.personal_data",
  invalid: "refused.invalid",
  malformed: "refused.malformed",
  bad_stamp: "refused.bad_stamp",
  wrong_unit: "refused.wrong_unit",
  shift_unknown: "refused.shift_unknown",
  unknown_field: "refused.unknown_field",
  encounter_unknown: "refused.encounter_unknown",
  unknown_worker: "refused.unknown_worker",
  unknown: "refused.other",
};

function explain(r: RefusalView): string {
  // `?? other`: a phone whose stored code predates this table still reads.
  return t(EXPLANATION[r.code] ?? "refused.other");
}

export async function renderRefused(main: HTMLElement): Promise<void> {
  const list = await api.refusals();
  const items = list.map((r) =>
    h(
      "li",
      { class: "card", "data-refusal": r.record_id, "data-code": r.code },
      h("h3", {}, t(`kind.${r.kind}`)),
      h("p", {}, explain(r)),
      h("p", { class: "muted" }, t("refused.server_said", { reason: r.reason })),
    ),
  );
  replace(
    main,
    h("button", { type: "button", class: "small", onclick: () => go("/home") }, t("common.back")),
    title(t("refused.title")),
    h("p", {}, t("refused.intro")),
    items.length ? h("ul", { class: "plain", id: "refusals" }, items) : h("p", { id: "refusals-none" }, t("refused.none")),
  );
}
