// The anonymity screen's refusal, made fixable: the refused text with each
// finding marked, what was found in words, and one large button that
// replaces what was found with neutral placeholders ([navn], [telefon] …)
// and keeps the rest. What counts as personal data and the placeholder
// words come from core through the `screen_text` command; nothing here
// decides either. No button lets flagged text through: the fix puts the
// fixed text back for the worker to save, and every save is screened again
// (an old referral note's fix saves the fixed note through the same
// screened command).

import { api } from "./api";
import type { AppError, Flag } from "./bindings";
import { h, replace, type Child } from "./dom";
import { errorText, FINDING_WORDS } from "./errors";
import { has, lang, t } from "./i18n";
import { alertBox } from "./widgets";

/** Where a refusal is shown and what the fix does with the fixed text. */
export type Refused = {
  /** The field's error region (an alert box), filled with the explanation. */
  box: HTMLElement;
  /** Prefix for the ids inside, e.g. `note` gives `note-flagged`, `note-fix`. */
  id: string;
  /** The text that was refused, exactly as it was sent. */
  text: string;
  /** The refusal. */
  error: AppError;
  /** The text to fix when the button is tapped (the field as it is now,
   * if the worker edited it meanwhile); the refused text when not given. */
  current?: () => string;
  /** The status line that says the fix was made, emptied by a new refusal. */
  done?: HTMLElement;
  /** Puts the fixed text where the worker will save it again. */
  apply: (fixed: string) => void | Promise<void>;
};

/** A text field's fix: the fixed text goes back in the field, which gets
 * focus, and a status line says what to do next. */
export function intoField(control: HTMLInputElement | HTMLTextAreaElement, done: HTMLElement): (fixed: string) => void {
  return (fixed) => {
    control.value = fixed;
    control.focus();
    control.setSelectionRange(fixed.length, fixed.length);
    done.textContent = t("fix.done");
  };
}

/** A status line beside a field's error box, for "replaced, save again". */
export function fixedStatus(id: string): HTMLDivElement {
  return alertBox("ok", `${id}-fixed`);
}

/** The refused text as nodes: each finding in a `<mark>`, followed by
 * words for screen readers (a mark alone is not announced). Offsets are
 * Unicode scalar values, as core counts them, so the text is split by
 * code point, not by UTF-16 unit. */
function marked(text: string, findings: Flag[]): Child[] {
  const chars = Array.from(text);
  const out: Child[] = [];
  let at = 0;
  for (const f of findings) {
    if (f.start < at || f.end > chars.length || f.end <= f.start) continue;
    out.push(chars.slice(at, f.start).join(""));
    out.push(h("mark", { "data-kind": f.kind }, chars.slice(f.start, f.end).join("")));
    out.push(h("span", { class: "visually-hidden" }, t("fix.marked", { what: t(FINDING_WORDS[f.kind].noun) })));
    at = f.end;
  }
  out.push(chars.slice(at).join(""));
  return out;
}

/** "et navn og et telefonnummer": each kind found, once, in list form. */
function whatWasFound(findings: Flag[]): string {
  const kinds = [...new Set(findings.map((f) => f.kind))];
  const words = kinds.map((k) => t(FINDING_WORDS[k].what));
  return new Intl.ListFormat(lang() === "nb" ? "nb" : "en", { type: "conjunction" }).format(words);
}

/** Shows a personal-data refusal in `r.box` with the text marked and one
 * fix button, and moves focus to that button (the next thing to do).
 * Falls back to the refusal's sentence, focusing nothing, when the screen
 * cannot be asked or finds nothing now. */
export async function showRefusal(r: Refused): Promise<void> {
  let findings: Flag[] = [];
  try {
    findings = (await api.screenText(r.text, lang())).findings;
  } catch {
    // The sentence below still says what and where.
  }
  if (findings.length === 0) {
    r.box.textContent = errorText(r.error);
    return;
  }
  r.done?.replaceChildren();
  const fieldKey = `field.${r.error.field ?? "note"}`;
  const field = has(fieldKey) ? t(fieldKey) : (r.error.field ?? "");
  const label =
    findings.length === 1 ? t("fix.one", { placeholder: findings[0].placeholder }) : t("fix.all", { n: findings.length });
  const fix = h("button", { type: "button", class: "primary big fix", id: `${r.id}-fix` }, label);
  fix.addEventListener("click", async () => {
    fix.disabled = true;
    try {
      const { redacted } = await api.screenText(r.current?.() ?? r.text, lang());
      r.box.replaceChildren();
      await r.apply(redacted);
    } catch (e) {
      fix.disabled = false;
      replace(r.box, errorText(e));
    }
  });
  replace(
    r.box,
    h("p", { id: `${r.id}-found` }, t("fix.found", { field, what: whatWasFound(findings) })),
    h("p", { class: "flagged", id: `${r.id}-flagged`, "aria-label": t("fix.text"), role: "group" }, marked(r.text, findings)),
    h("p", { class: "fix-keep" }, t("fix.keep")),
    fix,
  );
  fix.focus();
}
