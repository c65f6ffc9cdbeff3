// The changes the server refused, each explained in the worker's language
// by its rule code, with the server's own words beneath. They are kept on
// the phone and the team lead sees the same list in the dashboard.

import { api } from "../api";
import type { RefusalView } from "../bindings";
import { h, replace } from "../dom";
import { has, t } from "../i18n";
import { go } from "../main";
import { title } from "../widgets";

function explain(r: RefusalView): string {
  const key = `refused.${r.code}`;
  return has(key) ? t(key) : t("refused.other");
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
