//! The keys file: the public key of every server that delivers totals,
//! pinned by the national body once, after checking it with the
//! municipality (by phone or in person, never from the file it verifies).
//! It also says who is expected to deliver, for the coverage line.
//!
//! ```toml
//! [[municipality]]
//! number = "0301"          # SSB kommunenummer
//! name = "Oslo"
//! key = "…"                # `feltlogg-server public-key` on its server
//!
//! [[municipality]]         # a city with several servers: one entry each
//! number = "4601"
//! name = "Bergen"
//! part = "Nord"
//! key = "…"
//! ```

use feltlogg_core::sync::VerifyingKey;
use feltlogg_export::totals_file::Municipality;
use serde::Deserialize;
use std::path::Path;

/// Why the keys file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// It cannot be read.
    #[error("cannot read the keys file {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// It is not TOML of the keys file's shape.
    #[error(
        "the keys file {path} is not a list of [[municipality]] entries (number, name, key, optional part): {error}"
    )]
    Toml {
        /// The file.
        path: String,
        /// The parser's words.
        error: String,
    },
    /// One entry is unusable.
    #[error("the keys file {path}, entry {entry}: {problem}")]
    Entry {
        /// The file.
        path: String,
        /// The entry, e.g. `0301 Oslo`.
        entry: String,
        /// What is wrong and what to do.
        problem: String,
    },
    /// It pins nobody.
    #[error("the keys file {0} pins no municipality; add a [[municipality]] entry per server")]
    Empty(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    municipality: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    number: String,
    name: String,
    #[serde(default)]
    part: String,
    key: String,
}

/// One pinned server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// The municipality (and part) it reports for.
    pub municipality: Municipality,
    /// Its public key.
    pub key: VerifyingKey,
}

/// Every pinned server, in the file's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// The entries.
    pub pinned: Vec<Pinned>,
}

impl Keys {
    /// Reads and checks the keys file at `path`.
    ///
    /// # Errors
    /// [`KeysError`] naming the file, and the entry where one is at fault.
    pub fn load(path: &Path) -> Result<Self, KeysError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| KeysError::Read {
            path: shown.clone(),
            error,
        })?;
        Self::parse(&text, &shown)
    }

    /// Reads a keys file's text (`path` names it in errors).
    ///
    /// # Errors
    /// As [`Keys::load`].
    pub fn parse(text: &str, path: &str) -> Result<Self, KeysError> {
        let shape: FileShape = toml::from_str(text).map_err(|e| KeysError::Toml {
            path: path.to_owned(),
            error: e.message().to_owned(),
        })?;
        let mut pinned: Vec<Pinned> = Vec::new();
        for e in shape.municipality {
            let municipality = Municipality {
                number: e.number.trim().to_owned(),
                name: e.name.trim().to_owned(),
                part: e.part.trim().to_owned(),
            };
            let bad = |problem: String| KeysError::Entry {
                path: path.to_owned(),
                entry: municipality.label(),
                problem,
            };
            let n = &municipality.number;
            if n.len() != 4 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!(
                    "number {n:?} is not an SSB kommunenummer; give its four digits, e.g. \"0301\""
                )));
            }
            let key = VerifyingKey::from_base64(e.key.trim()).map_err(|err| {
                bad(format!(
                    "key is not a server public key ({err}); copy what `feltlogg-server public-key` prints"
                ))
            })?;
            if pinned
                .iter()
                .any(|p| p.municipality.number == *n && p.municipality.part == municipality.part)
            {
                return Err(bad(
                    "pinned twice; keep one entry per server (give each server of a city its own part)"
                        .into(),
                ));
            }
            pinned.push(Pinned { municipality, key });
        }
        if pinned.is_empty() {
            return Err(KeysError::Empty(path.to_owned()));
        }
        Ok(Self { pinned })
    }

    /// The entry for the server a file says it is from (number and part).
    pub fn find(&self, m: &Municipality) -> Option<&Pinned> {
        self.pinned
            .iter()
            .find(|p| p.municipality.number == m.number && p.municipality.part == m.part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    #[test]
    fn entries_are_read_and_checked() {
        let text = format!(
            "[[municipality]]\nnumber = \"0301\"\nname = \"Oslo\"\nkey = \"{KEY}\"\n\n\
             [[municipality]]\nnumber = \"4601\"\nname = \"Bergen\"\npart = \"Nord\"\nkey = \"{KEY}\"\n"
        );
        let keys = Keys::parse(&text, "keys.toml").expect("keys");
        assert_eq!(keys.pinned.len(), 2);
        assert_eq!(keys.pinned[1].municipality.label(), "4601 Bergen (Nord)");
        let bergen = Municipality {
            number: "4601".into(),
            name: "whatever the file says".into(),
            part: "Nord".into(),
        };
        assert!(keys.find(&bergen).is_some());
        assert!(
            keys.find(&Municipality {
                part: String::new(),
                ..bergen
            })
            .is_none()
        );
    }

    #[test]
    fn bad_entries_are_named() {
        let one = |number: &str, key: &str| {
            format!("[[municipality]]\nnumber = \"{number}\"\nname = \"X\"\nkey = \"{key}\"\n")
        };
        let err = Keys::parse(&one("301", KEY), "k.toml").expect_err("number");
        assert!(err.to_string().contains("\"301\""), "{err}");
        let err = Keys::parse(&one("0301", "not a key"), "k.toml").expect_err("key");
        assert!(
            err.to_string().contains("feltlogg-server public-key"),
            "{err}"
        );
        let twice = one("0301", KEY) + &one("0301", KEY);
        let err = Keys::parse(&twice, "k.toml").expect_err("twice");
        assert!(err.to_string().contains("pinned twice"), "{err}");
        let err = Keys::parse("", "k.toml").expect_err("empty");
        assert!(err.to_string().contains("pins no municipality"), "{err}");
        let err = Keys::parse("[[kommune]]\n", "k.toml").expect_err("shape");
        assert!(err.to_string().contains("[[municipality]]"), "{err}");
    }
}
