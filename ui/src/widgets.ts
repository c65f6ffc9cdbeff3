// Small building blocks the screens share: chip groups, labelled fields,
// alert boxes, busy buttons.

import { h, uid, type Child } from "./dom";
import { vocab } from "./i18n";

/** A group of large chips: radios (one choice) or checkboxes (many). */
export function chips(opts: {
  name: string;
  legend: string;
  group: string;
  values: readonly string[];
  selected: readonly string[];
  multi?: boolean;
  label?: (v: string) => string;
}): HTMLFieldSetElement {
  const type = opts.multi ? "checkbox" : "radio";
  const label = opts.label ?? ((v: string) => vocab(opts.group, v));
  return h(
    "fieldset",
    { "data-field": opts.name },
    h("legend", {}, opts.legend),
    h(
      "div",
      { class: "chips" },
      opts.values.map((v) =>
        h(
          "label",
          { class: "chip", "data-value": v },
          h("input", { type, name: opts.name, value: v, checked: opts.selected.includes(v) }),
          h("span", {}, label(v)),
        ),
      ),
    ),
  );
}

/** The checked values of a chip group. */
export function chosen(form: HTMLElement, name: string): string[] {
  return Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)).map(
    (i) => i.value,
  );
}

/** A label, a control and an optional hint, linked for screen readers. */
export function field(labelText: string, control: HTMLElement, hint?: string, extra?: Child): HTMLElement {
  const id = control.id || uid("f");
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  // The hint first, then whatever the control is described by already
  // (its live marks, say).
  const described = [hintId, control.getAttribute("aria-describedby")].filter(Boolean).join(" ");
  if (described) control.setAttribute("aria-describedby", described);
  return h(
    "div",
    {},
    h("label", { class: "field", for: id }, labelText),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    extra,
  );
}

/** An alert region that screen readers announce when it fills. */
export function alertBox(kind: "error" | "warn" | "ok" = "error", id?: string): HTMLDivElement {
  return h("div", { class: `alert ${kind}`, role: kind === "error" ? "alert" : "status", id });
}

/** Runs `work` with `button` disabled and a busy label, then restores it. */
export async function busy<T>(button: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = old;
  }
}

/** The screen's heading (the main landmark is labelled by it). */
export function title(text: string): HTMLHeadingElement {
  return h("h2", { id: "screen-title", tabindex: "-1" }, text);
}

/** Free-text fields about youths: no autofill, no autocorrect, no spell
 * check (no text sent to a keyboard's or the system's learning; see
 * src-tauri/mobile/README.md for the Android keyboard flag). */
export const PRIVATE_TEXT = { autocomplete: "off", autocorrect: "off", spellcheck: "false" } as const;
