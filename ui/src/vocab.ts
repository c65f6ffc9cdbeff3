// The vocabularies in display order, generated from the Rust enums (see
// bindings.ts), and a compile-time check that every value has a label in
// the translation table.

import { VOCAB } from "./bindings";
import type { Key } from "./i18n";

export { VOCAB };

type Groups = { [G in keyof typeof VOCAB]: `${G}.${(typeof VOCAB)[G][number]}` };
type Labelled = Groups[keyof Groups];
// Fails to compile when a Rust vocabulary gains a value the table lacks.
export const EVERY_VALUE_HAS_A_LABEL: Labelled extends Key ? true : never = true;
