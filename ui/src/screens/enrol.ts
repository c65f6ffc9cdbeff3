// Enrol: the server address and the one-time code from the team lead.

import { api } from "../api";
import { h, replace } from "../dom";
import { errorText } from "../errors";
import { t } from "../i18n";
import { go, markEnrolled } from "../main";
import { alertBox, busy, field, title } from "../widgets";

export async function renderEnrol(main: HTMLElement): Promise<void> {
  // Said first and in plain words: a store set aside at start is why the
  // phone is back at enrolment.
  const setAside = (await api.appInfo().catch(() => null))?.store_set_aside
    ? h("div", { class: "alert warn", role: "status", id: "enrol-set-aside" }, t("enrol.set_aside"))
    : null;
  const url = h("input", {
    type: "url",
    name: "server_url",
    id: "enrol-url",
    inputmode: "url",
    autocomplete: "url",
    autocapitalize: "off",
    spellcheck: "false",
    required: true,
    placeholder: "https://",
  });
  const code = h("input", {
    type: "text",
    name: "code",
    id: "enrol-code",
    autocomplete: "one-time-code",
    autocapitalize: "off",
    spellcheck: "false",
    required: true,
  });
  const error = alertBox("error", "enrol-error");
  const submit = h("button", { type: "submit", class: "primary big", id: "enrol-submit" }, t("enrol.submit"));
  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        error.textContent = "";
        try {
          await busy(submit, t("enrol.busy"), () => api.enrol(url.value.trim(), code.value.trim()));
          markEnrolled();
          go("/home");
        } catch (e) {
          error.textContent = errorText(e);
        }
      },
    },
    field(t("enrol.server"), url),
    field(t("enrol.code"), code),
    error,
    submit,
  );
  replace(main, title(t("enrol.title")), setAside, h("p", {}, t("enrol.intro")), form);
}
