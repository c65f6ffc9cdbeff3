//! Typed record ids. Every id is a UUIDv7 made where the record is born
//! (on the device), so ids sort by creation time and keep SQLite's B-trees
//! append-mostly.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The id as a plain UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(
    /// A field shift (vakt).
    ShiftId
);
id_type!(
    /// One worker's presence on one shift (check-in, check-out).
    MemberId
);
id_type!(
    /// An anonymised encounter (kontakt).
    EncounterId
);
id_type!(
    /// A referral (formidling) made from an encounter.
    ReferralId
);
id_type!(
    /// A worker, team lead or admin, as known to the server.
    UserId
);
id_type!(
    /// An enrolled phone.
    DeviceId
);
id_type!(
    /// A unit (enhet): a team that does fieldwork.
    UnitId
);
