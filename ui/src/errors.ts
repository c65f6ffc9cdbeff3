// Turns a command error into words for the worker, in their language.

import type { AppError, FindingKind } from "./bindings";
import { CommandError } from "./api";
import { has, t, type Key } from "./i18n";

/** Any thrown value as an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof CommandError) return e.app;
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as AppError;
  const message = e instanceof Error ? e.message : String(e);
  return { kind: "internal", message, field: null, finding: null, wait_secs: null };
}

/** Words for every kind the screen reports: a compile error when core
 * gains a kind the UI cannot name. `what` reads in a sentence ("et navn"),
 * `noun` stands alone ("navn"). */
export const FINDING_WORDS: Record<FindingKind, { what: Key; noun: Key }> = {
  national_id: { what: "finding.national_id", noun: "flag.national_id" },
  d_number: { what: "finding.d_number", noun: "flag.d_number" },
  h_number: { what: "finding.h_number", noun: "flag.h_number" },
  phone: { what: "finding.phone", noun: "flag.phone" },
  email: { what: "finding.email", noun: "flag.email" },
  handle: { what: "finding.handle", noun: "flag.handle" },
  name: { what: "finding.name", noun: "flag.name" },
  address: { what: "finding.address", noun: "flag.address" },
  birth_date: { what: "finding.birth_date", noun: "flag.birth_date" },
  vehicle_registration: { what: "finding.vehicle_registration", noun: "flag.vehicle_registration" },
};

/** The anonymity screen's refusal: which field, what was found, where. */
function personalData(e: AppError): string {
  const f = e.finding;
  if (!f) return e.message;
  const fieldKey = `field.${e.field ?? "note"}`;
  return t("error.personal_data", {
    field: has(fieldKey) ? t(fieldKey) : (e.field ?? ""),
    what: t(FINDING_WORDS[f.kind].what),
    from: f.start + 1,
    to: f.end,
  });
}

/** The error in plain words. */
export function errorText(err: unknown): string {
  const e = toAppError(err);
  if (e.kind === "personal_data") return personalData(e);
  const key = `error.${e.kind}`;
  if (!has(key)) return t("common.failed", { message: e.message });
  return t(key, { message: e.message, secs: e.wait_secs ?? 0 });
}
