//! Queries on the `device_secret` table: the enrolment's credentials as an
//! opaque blob (the sync client owns their format), inside the encrypted
//! store so no secret sits in a plain file.

use super::Store;
use super::error::Result;
use rusqlite::OptionalExtension;
use zeroize::Zeroizing;

impl Store {
    /// Stores the credentials blob, replacing any before.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn put_credentials(&self, blob: &[u8]) -> Result<()> {
        self.conn.execute(
            "INSERT INTO device_secret (singleton, credentials) VALUES (1, ?1)
             ON CONFLICT (singleton) DO UPDATE SET credentials = excluded.credentials",
            [blob],
        )?;
        Ok(())
    }

    /// The credentials blob, if the device is enrolled.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn credentials(&self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT credentials FROM device_secret WHERE singleton = 1",
                [],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()?
            .map(Zeroizing::new))
    }
}
