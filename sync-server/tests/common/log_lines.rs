//! What a test's `tracing_subscriber::fmt()` writes, collected in memory
//! (`with_writer(move || lines.clone())`), for tests that read the log.

use std::sync::{Arc, Mutex};

/// Collects what the log writes.
#[derive(Clone, Default)]
pub struct Lines(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lines").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
