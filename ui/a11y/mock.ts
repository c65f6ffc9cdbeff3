// The same UI in a plain browser, with the Tauri commands answered by
// @tauri-apps/api/mocks from synthetic in-memory data. Used by the
// accessibility check; `?scenario=fresh` starts unenrolled.

import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppError, Encounter, Flag, Referral, Screened, Shift, ShiftView, Span } from "../src/bindings";

const now = Date.now();
const H = 3_600_000;
const scenario = new URLSearchParams(location.search).get("scenario") ?? "enrolled";
let enrolled = scenario !== "fresh";
// `?scenario=locked`: the idle lock with a shift open; `?scenario=no-contact`: 15 days without a sync.
let lockReason: "idle" | "no_contact" | null = scenario === "locked" ? "idle" : scenario === "no-contact" ? "no_contact" : null;
function lockView() {
  return {
    reason: lockReason, unlockers: lockReason === "idle" ? [workers[0], workers[1]] : [], shift_open: true,
    idle_remaining_ms: lockReason ? 0 : 300_000, idle_ms: 300_000, no_contact_ms: 14 * 24 * H, last_contact_ms: now - 15 * 24 * H,
  };
}

const workers = [
  { id: "w-ali", name: "Ali" },
  { id: "w-bo", name: "Bo" },
  { id: "w-cem", name: "Cem" },
];
const areas = [
  { code: "030102", name: "Grünerløkka" },
  { code: "030101", name: "Gamle Oslo" },
];

function shift(id: string, status: Shift["status"], started: number): Shift {
  return { id, unit_id: "u1", bydel: "030102", area_note: "Olaf Ryes plass", started_ms: started, closed_ms: status === "open" ? null : started + 4 * H, status, reflection: null };
}
function encounter(id: string, shiftId: string, at: number): Encounter {
  return { id, shift_id: shiftId, at_ms: at, bydel: "030102", place_type: "park", youth_count: 2, age_group: "16_18", gender: "girl", contact_kind: "known", topics: ["school"], actions: ["conversation"], residence: "this_bydel", note: null };
}
const referral: Referral = { id: "r1", encounter_id: "e1", shift_id: "s-open", service: "youth_health_centre", status: "suggested", note: null };
// A note saved before the screen knew names: a status change is refused until it is fixed.
const oldNote: Referral = { ...referral, id: "r2", service: "nav", note: "Ola vil ha time hos NAV" };

function view(id: string): ShiftView {
  const status = ({ "s-open": "open", "s-returned": "returned", "s-approved": "approved", "s-paused": "open" } as const)[id] ?? "open";
  const started = status === "open" ? now - 2 * H : now - 20 * H;
  const paused = id === "s-paused";
  return {
    shift: shift(id, status, started),
    members: [
      { worker_id: "w-ali", name: "Ali", checked_in_ms: started, checked_out_ms: null },
      { worker_id: "w-bo", name: "Bo", checked_in_ms: started, checked_out_ms: paused ? now - H : null },
    ],
    present: paused ? 1 : 2,
    encounters: [
      { encounter: encounter("e1", id, started + H / 2), referrals: id === "s-open" ? [referral, oldNote] : [] },
      { encounter: encounter("e2", id, started + H), referrals: [] },
    ],
    summary: { field_hours: 4, encounters: 2, youths: 4, referrals: id === "s-open" ? 2 : 0 },
    comment: status === "returned" ? "Mangler tema på kontakten kl. 21." : null,
    editable: status === "open" || status === "returned",
  };
}

function fail(kind: AppError["kind"], message: string, extra: Partial<AppError> = {}): never {
  throw { kind, message, field: null, finding: null, wait_secs: null, ...extra } satisfies AppError;
}

// A stand-in for core's screen over the scenarios' synthetic texts only:
// these exact strings are "found" (offsets in characters, as core counts).
const FLAGGED: [string, Flag["kind"], Record<string, string>][] = [
  ["Ola", "name", { nb: "[navn]", en: "[name]" }],
  ["912 34 567", "phone", { nb: "[telefon]", en: "[phone]" }],
];
function screenText(text: string, lang: string): Screened {
  const findings: Flag[] = [];
  let redacted = text;
  for (const [needle, kind, words] of FLAGGED) {
    const at = text.indexOf(needle);
    if (at < 0) continue;
    const start = Array.from(text.slice(0, at)).length;
    findings.push({ kind, start, end: start + Array.from(needle).length, placeholder: words[lang] ?? words.nb });
    redacted = redacted.replace(needle, words[lang] ?? words.nb);
  }
  findings.sort((a, b) => a.start - b.start);
  // As core: confirmable when every finding is a name (the unit allows it).
  const may_confirm = findings.length > 0 && findings.every((f) => f.kind === "name");
  return { findings, redacted, may_confirm };
}
/** Refuses the first finding a confirmation does not lift: only a name
 * with exactly a confirmed span is lifted, as core's `blocking`. */
function screened(field: string, text: unknown, confirmed: unknown = []): void {
  const spans = Array.isArray(confirmed) ? (confirmed as Span[]) : [];
  const lifted = (f: Flag) => f.kind === "name" && spans.some((s) => s.start === f.start && s.end === f.end);
  const f = screenText(typeof text === "string" ? text : "", "nb").findings.find((x) => !lifted(x));
  if (f) fail("personal_data", `${field}: found`, { field, finding: { kind: f.kind, start: f.start, end: f.end } });
}

/** Each save that went through with confirmed spans, for the scenarios. */
const confirmedSaves: { field: string; text: string; spans: Span[] }[] = [];
(window as unknown as { confirmedSaves: typeof confirmedSaves }).confirmedSaves = confirmedSaves;
function saved(field: string, text: unknown, spans: unknown): void {
  screened(field, text, spans);
  if (Array.isArray(spans) && spans.length) confirmedSaves.push({ field, text: String(text), spans: spans as Span[] });
}

/** The notes update_referral accepted, for the scenario to check. */
const fixedReferralNotes: string[] = [];
(window as unknown as { fixedReferralNotes: string[] }).fixedReferralNotes = fixedReferralNotes;

const summary = (id: string) => {
  const v = view(id);
  return { shift: v.shift, summary: v.summary, comment: v.comment };
};

mockIPC((cmd, args) => {
  const a = (args ?? {}) as Record<string, unknown>;
  switch (cmd) {
    case "app_info":
      return { enrolled, server_url: enrolled ? "https://feltlogg.example" : null, device_id: null, unit_id: null };
    case "enrol":
      if (a.code !== "RIKTIG") fail("code_unknown", "unknown code");
      enrolled = true;
      return { enrolled, server_url: a.serverUrl, device_id: null, unit_id: null };
    case "workers":
      return workers;
    case "areas":
      return areas;
    case "home":
      return { open_shift: summary("s-open"), shifts: [summary("s-open"), summary("s-returned"), summary("s-approved")] };
    case "close_shift":
      saved("reflection", a.reflection, a.notAPerson);
      return view(String(a.shiftId));
    case "shift_view":
    case "check_in":
    case "check_out":
      return view(String(a.shiftId));
    case "start_shift":
      saved("area_note", a.areaNote, a.notAPerson);
      return fail("need_two_to_start", "a shift needs two different workers");
    case "add_encounter": {
      const input = (a.input ?? {}) as { note?: unknown; not_a_person?: unknown };
      saved("note", input.note, input.not_a_person);
      return "e-new";
    }
    case "add_referral":
      saved("note", a.note, a.notAPerson);
      return "r-new";
    case "update_referral":
      saved("note", a.note, a.notAPerson);
      fixedReferralNotes.push(String(a.note));
      return true;
    case "screen_text":
      return screenText(String(a.text), String(a.lang));
    case "lock_status":
    case "activity":
    case "lock_now":
      return lockView();
    case "unlock":
      if (a.pin !== "246810") fail("pin_locked", "too many wrong pins", { wait_secs: 30 });
      lockReason = null;
      return lockView();
    case "sync_status":
      return { pending_changes: 3, last_success_ms: now - 5 * 60_000, last_error: "cannot reach the server", last_error_kind: "unreachable", refused: 2 };
    case "refusals":
      return [
        { record_id: "e1", kind: "encounter", code: "shift_locked", reason: "shift is approved; ask the team lead to return it" },
        { record_id: "m9", kind: "shift_member", code: "unknown", reason: "refused by an older server" },
      ];
    default:
      return null;
  }
});

await import("../src/main");
