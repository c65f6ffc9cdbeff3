// One screen of chips for an encounter, with an optional screened note.
// A new encounter starts from the last one's place, age, gender, kind,
// residence and area, so a repeat contact is "Ny kontakt" + "Lagre".
// An existing encounter shows its referrals and can take a new one.

import { api } from "../api";
import type { Encounter, EncounterInput, EncounterView, ShiftView, Span } from "../bindings";
import { h, replace } from "../dom";
import { errorText, toAppError } from "../errors";
import { fixedStatus, intoField, showRefusal } from "../flagged";
import { liveMarks } from "../live";
import { t, vocab } from "../i18n";
import { go } from "../main";
import { alertBox, busy, chips, chosen, field, PRIVATE_TEXT, title } from "../widgets";
import { VOCAB } from "../vocab";
import { referrals } from "./referral";

const COUNTS = ["1", "2", "3", "4", "5"];

type Draft = Omit<EncounterInput, "shift_id" | "not_a_person">;

/** Saves a draft with the note's spans confirmed as "not a person". */
type Save = (d: Draft, notAPerson: Span[]) => Promise<void>;

/** The note's confirmed spans of a stored encounter. */
function noteSpans(e: Encounter): Span[] {
  return (e.not_a_person ?? []).filter((c) => c.field === "note").map(({ start, end }) => ({ start, end }));
}

function defaults(v: ShiftView): Draft {
  const last = v.encounters.at(-1)?.encounter;
  return {
    bydel: last?.bydel ?? v.shift.bydel,
    place_type: last?.place_type ?? "street_square",
    youth_count: 1,
    age_group: last?.age_group ?? "16_18",
    gender: last?.gender ?? "unknown",
    contact_kind: last ? "known" : "new",
    topics: [],
    actions: [],
    residence: last?.residence ?? "this_bydel",
    note: null,
  };
}

function form(draft: Draft, readOnly: boolean, onSave: Save, saveLabel: string, confirmedBefore: Span[] = []): HTMLFormElement {
  // The spans confirmed for the note as it reads now: an edit of the note
  // drops them (they counted in the old text).
  let confirmed = confirmedBefore;
  const countMore = h("input", { type: "number", id: "count-more", min: "1", max: "50", inputmode: "numeric", value: draft.youth_count > 5 ? draft.youth_count : "" });
  const note = h("textarea", { id: "note", name: "note", rows: "3", ...PRIVATE_TEXT, "aria-describedby": "note-hint note-error note-fixed" }, draft.note ?? "");
  note.addEventListener("input", () => (confirmed = []));
  const live = liveMarks(note, "note", () => confirmed);
  const noteError = alertBox("error", "note-error");
  const noteFixed = fixedStatus("note");
  const error = alertBox("error", "encounter-error");
  const save = h("button", { type: "submit", class: "primary big", id: "save-encounter" }, saveLabel);
  const one = (name: keyof typeof VOCAB, legend: string, value: string) =>
    chips({ name, legend, group: name, values: VOCAB[name], selected: [value] });
  const many = (name: keyof typeof VOCAB, legend: string, values: string[]) =>
    chips({ name, legend, group: name, values: VOCAB[name], selected: values, multi: true });
  const f: HTMLFormElement = h(
    "form",
    {
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        noteError.textContent = "";
        error.textContent = "";
        const more = Number.parseInt(countMore.value, 10);
        const d: Draft = {
          ...draft,
          youth_count: Number.isFinite(more) && more > 0 ? more : Number(chosen(f, "youth_count")[0] ?? "1"),
          age_group: chosen(f, "age_group")[0] as Draft["age_group"],
          gender: chosen(f, "gender")[0] as Draft["gender"],
          contact_kind: chosen(f, "contact_kind")[0] as Draft["contact_kind"],
          place_type: chosen(f, "place_type")[0] as Draft["place_type"],
          residence: chosen(f, "residence")[0] as Draft["residence"],
          topics: chosen(f, "topic") as Draft["topics"],
          actions: chosen(f, "action") as Draft["actions"],
          note: note.value.trim() || null,
        };
        noteFixed.textContent = "";
        try {
          await busy(save, t("common.loading"), () => onSave(d, confirmed));
        } catch (e) {
          const app = toAppError(e);
          if (app.kind !== "personal_data") {
            error.textContent = errorText(app);
            return;
          }
          const current = () => note.value.trim();
          // "Dette er ikke en person": the same draft, the note as it
          // reads, its names confirmed.
          const confirm = async (text: string, spans: Span[]) => {
            note.value = text;
            confirmed = spans;
            await busy(save, t("common.loading"), () => onSave({ ...d, note: text || null }, spans));
          };
          await showRefusal({ box: noteError, id: "note", text: d.note ?? "", error: app, current, done: noteFixed, apply: intoField(note, noteFixed), confirm });
        }
      },
    },
    chips({ name: "youth_count", legend: t("enc.count"), group: "", values: COUNTS, selected: [String(Math.min(draft.youth_count, 5))], label: (v) => v }),
    field(t("enc.count_more"), countMore),
    one("age_group", t("enc.age"), draft.age_group),
    one("gender", t("enc.gender"), draft.gender),
    one("contact_kind", t("enc.kind"), draft.contact_kind),
    one("place_type", t("enc.place"), draft.place_type),
    many("topic", t("enc.topics"), draft.topics),
    many("action", t("enc.actions"), draft.actions),
    one("residence", t("enc.residence"), draft.residence),
    h("label", { class: "field", for: "note" }, t("enc.note"), " (", t("common.optional"), ")"),
    note,
    h("p", { class: "hint", id: "note-hint" }, t("enc.note_hint")),
    readOnly ? null : live,
    noteError,
    noteFixed,
    error,
    readOnly ? null : h("div", { class: "sticky-actions" }, save),
  );
  if (readOnly) f.querySelectorAll("input, textarea").forEach((el) => el.setAttribute("disabled", ""));
  return f;
}

function toEncounter(old: Encounter, d: Draft, spans: Span[]): Encounter {
  const others = (old.not_a_person ?? []).filter((c) => c.field !== "note");
  return { ...old, ...d, not_a_person: [...others, ...spans.map((s) => ({ field: "note", ...s }))] };
}

export async function renderEncounter(main: HTMLElement, shiftId: string, encounterId: string | null): Promise<void> {
  const v = await api.shiftView(shiftId);
  const back = h("button", { type: "button", class: "small", onclick: () => go(`/shift/${shiftId}`) }, t("common.back"));
  if (encounterId === null) {
    const f = form(defaults(v), false, async (d, spans) => {
      await api.addEncounter({ shift_id: shiftId, ...d, not_a_person: spans });
      go(`/shift/${shiftId}`);
    }, t("enc.save"));
    replace(main, back, title(t("enc.title")), f);
    return;
  }
  const ev: EncounterView | undefined = v.encounters.find((e) => e.encounter.id === encounterId);
  if (!ev) throw new Error(t("error.not_found"));
  const saved = alertBox("ok", "encounter-saved");
  const f = form(ev.encounter, !v.editable, async (d, spans) => {
    await api.editEncounter(toEncounter(ev.encounter, d, spans));
    saved.textContent = t("enc.saved");
  }, t("enc.save_changes"), noteSpans(ev.encounter));
  replace(
    main,
    back,
    title(t("enc.edit_title", { time: new Date(ev.encounter.at_ms).toLocaleTimeString() })),
    h("p", { class: "muted" }, vocab("place_type", ev.encounter.place_type)),
    saved,
    referrals(v, ev, () => void renderEncounter(main, shiftId, encounterId)),
    f,
    v.editable ? deletion(shiftId, ev) : null,
  );
}

/** Deleting takes two taps: the first asks, in place, with the referrals
 * that go too; the second deletes. No browser dialog: a webview may not
 * show one, and an inline question keeps the thumb where it was. */
function deletion(shiftId: string, ev: EncounterView): HTMLElement {
  const error = alertBox("error", "delete-error");
  const ask = h("button", { type: "button", class: "danger", id: "delete-encounter" }, t("enc.delete"));
  const yes = h("button", { type: "button", class: "danger", id: "delete-confirm" }, t("enc.delete_confirm"));
  const no = h("button", { type: "button", id: "delete-cancel" }, t("common.cancel"));
  const question = h(
    "div",
    { class: "confirm", id: "delete-question", role: "group", "aria-labelledby": "delete-warning", hidden: true },
    h("p", { id: "delete-warning" }, ev.referrals.length ? t("enc.delete_warning_refs", { n: ev.referrals.length }) : t("enc.delete_warning")),
    h("div", { class: "row" }, yes, no),
  );
  ask.addEventListener("click", () => {
    ask.hidden = true;
    question.hidden = false;
    no.focus();
  });
  no.addEventListener("click", () => {
    question.hidden = true;
    ask.hidden = false;
    ask.focus();
  });
  yes.addEventListener("click", async () => {
    error.textContent = "";
    try {
      await busy(yes, t("common.loading"), () => api.deleteEncounter(ev.encounter.id));
      go(`/shift/${shiftId}`);
    } catch (e) {
      error.textContent = errorText(toAppError(e));
    }
  });
  return h("section", { class: "delete" }, ask, question, error);
}
