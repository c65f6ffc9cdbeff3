// Live marks while typing (issue 15): a free-text field shows what the
// anonymity screen finds in it before anyone presses save, so a worker is
// never surprised by a refusal. The same `screen_text` command the
// refusal uses answers (core's screen with the unit's words), so the marks
// and the save always agree. Debounced: the screen runs once the worker
// pauses for LIVE_DELAY_MS, and an older answer never overwrites a newer.
//
// Accessible: one polite status line says in words what is found (only
// when that changes, so typing is not read aloud letter by letter); the
// marked copy below it is not live, and each mark carries words for
// screen readers and a border and underline besides its colour.

import { api } from "./api";
import type { Span } from "./bindings";
import { h, replace } from "./dom";
import { marked, whatWasFound } from "./flagged";
import { lang, t } from "./i18n";

/** How long the worker pauses before the screen runs. */
export const LIVE_DELAY_MS = 300;

/** The live marks of `control`, ids prefixed `id` (`note` gives
 * `note-live` for the status line and `note-live-text` for the marked
 * copy). `confirmed` gives the spans already confirmed as "not a person"
 * (an edited encounter's), marked as such. */
export function liveMarks(
  control: HTMLInputElement | HTMLTextAreaElement,
  id: string,
  confirmed: () => Span[] = () => [],
): HTMLElement {
  const status = h("p", { id: `${id}-live`, class: "live-status", role: "status" });
  const copy = h("p", { id: `${id}-live-text`, class: "flagged live-text", role: "group", "aria-label": t("live.text"), hidden: true });
  const described = control.getAttribute("aria-describedby");
  control.setAttribute("aria-describedby", [described, status.id].filter(Boolean).join(" "));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let found = false;
  const run = async () => {
    const mine = ++asked;
    const text = control.value;
    if (!text.trim()) {
      clear(mine);
      return;
    }
    try {
      const s = await api.screenText(text, lang());
      if (mine !== asked) return;
      if (s.findings.length === 0) {
        clear(mine);
        return;
      }
      replace(copy, marked(text, s.findings, confirmed()));
      copy.hidden = false;
      say(t("live.found", { what: whatWasFound(s.findings) }));
      found = true;
    } catch {
      // The save screens again and explains; the marks are a help only.
    }
  };
  /** Nothing found: the copy goes, and the line says so once if it had
   * said something before. */
  const clear = (mine: number) => {
    if (mine !== asked) return;
    copy.hidden = true;
    copy.replaceChildren();
    say(found ? t("live.clear") : "");
    found = false;
  };
  const say = (text: string) => {
    if (status.textContent !== text) status.textContent = text;
  };
  control.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), LIVE_DELAY_MS);
  });
  if (control.value.trim()) void run();
  return h("div", { class: "live", "data-live-for": control.id }, status, copy);
}
