//! The texts of the banner shown after a restore from a backup (issue 18),
//! part of the one translation table (see [`super::TEXTS`]).

/// (key, bokmål, English).
pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    (
        "restored.needs_decision",
        "Trenger ny avgjørelse etter gjenoppretting",
        "Need a decision again after a restore",
    ),
    ("restored.lost_approval", "godkjenning", "approval"),
    ("restored.lost_return", "retur", "return"),
    ("restored.lost", "tapt", "lost"),
    (
        "restored.batches_lost",
        "Endringer tapt: telefonen hadde ikke lenger batchene",
        "Changes lost: the phone no longer kept the batches",
    ),
    ("restored.batches", "batcher", "batches"),
];
