// The anonymity screen's refusal, made fixable: the refused text with each
// finding marked, what was found in words, and one large button that
// replaces what was found with neutral placeholders ([navn], [telefon] …)
// and keeps the rest. When the screen finds nothing but names and the unit
// allows it, a smaller "Dette er ikke en person" saves the text as written
// with those name spans confirmed (the store and the server judge the
// confirmation again; numbers, e-mail, handles and addresses never get the
// button). What counts as personal data and the placeholder words come
// from core through the `screen_text` command; nothing here decides
// either. The fix puts the fixed text back for the worker to save, and
// every save is screened again (an old referral note's fix saves the fixed
// note through the same screened command).

import { api } from "./api";
import type { AppError, Flag, Span } from "./bindings";
import { h, replace, type Child } from "./dom";
import { errorText, FINDING_WORDS, toAppError } from "./errors";
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
  /** Saves `text` with its name `spans` confirmed as "not a person";
   * without it the refusal offers only the fix. */
  confirm?: (text: string, spans: Span[]) => Promise<void>;
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

/** The text as nodes: each finding in a `<mark>`, followed by words for
 * screen readers (a mark alone is not announced); a span in `confirmed`
 * is marked as confirmed "not a person", in words too. Offsets are
 * Unicode scalar values, as core counts them, so the text is split by
 * code point, not by UTF-16 unit. */
export function marked(text: string, findings: Flag[], confirmed: Span[] = []): Child[] {
  const chars = Array.from(text);
  const out: Child[] = [];
  let at = 0;
  for (const f of findings) {
    if (f.start < at || f.end > chars.length || f.end <= f.start) continue;
    const isConfirmed = confirmed.some((c) => c.start === f.start && c.end === f.end);
    out.push(chars.slice(at, f.start).join(""));
    out.push(h("mark", { "data-kind": f.kind, "data-confirmed": isConfirmed ? "true" : null }, chars.slice(f.start, f.end).join("")));
    const words = isConfirmed ? t("live.confirmed") : t("fix.marked", { what: t(FINDING_WORDS[f.kind].noun) });
    out.push(h("span", { class: "visually-hidden" }, words));
    at = f.end;
  }
  out.push(chars.slice(at).join(""));
  return out;
}

/** "et navn og et telefonnummer": each kind found, once, in list form. */
export function whatWasFound(findings: Flag[]): string {
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
  let mayConfirm = false;
  try {
    const s = await api.screenText(r.text, lang());
    findings = s.findings;
    mayConfirm = s.may_confirm;
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
    r.confirm && mayConfirm ? notAPerson(r, fix) : null,
  );
  fix.focus();
}

/** The smaller second choice beside the fix: save the text as written,
 * its names confirmed as "not a person". The text is screened again when
 * tapped (the worker may have edited it): only names, still allowed, or
 * the refusal is shown anew. */
function notAPerson(r: Refused, fix: HTMLButtonElement): Child[] {
  const hintId = `${r.id}-not-person-hint`;
  const button = h("button", { type: "button", class: "small not-person", id: `${r.id}-not-person`, "aria-describedby": hintId }, t("fix.not_person"));
  button.addEventListener("click", async () => {
    const confirm = r.confirm;
    if (!confirm) return;
    const text = r.current?.() ?? r.text;
    button.disabled = true;
    fix.disabled = true;
    try {
      const s = await api.screenText(text, lang());
      if (!s.may_confirm) {
        await showRefusal({ ...r, text });
        return;
      }
      r.box.replaceChildren();
      await confirm(text, s.findings.map((f) => ({ start: f.start, end: f.end })));
    } catch (e) {
      const app = toAppError(e);
      if (app.kind === "personal_data") {
        await showRefusal({ ...r, text, error: app });
        return;
      }
      button.disabled = false;
      fix.disabled = false;
      replace(r.box, errorText(app));
    }
  });
  return [h("p", { class: "hint", id: hintId }, t("fix.not_person_hint")), button];
}
