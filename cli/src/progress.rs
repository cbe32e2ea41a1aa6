//! A progress line on stderr while a big input loads (`pglens: loading structure.sql 42%,
//! 12,000 statements`), rewritten in place: only when stderr is a terminal, so logs and pipes
//! stay clean, and only for inputs that take a moment.

use pglens_core::Progress;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Inputs smaller than this load in well under a second: no line.
const BIG: u64 = 1 << 20;
const EVERY: Duration = Duration::from_millis(100);

pub struct Line {
    names: Vec<String>,
    shown: bool,
    last: Option<Instant>,
}

impl Line {
    /// A line for these files (their names, in order), or `None` when none should be drawn.
    pub fn for_input(names: Vec<String>, total_bytes: u64) -> Option<Line> {
        (total_bytes >= BIG && std::io::stderr().is_terminal()).then_some(Line { names, shown: false, last: None })
    }

    pub fn update(&mut self, p: &Progress) {
        if self.last.is_some_and(|t| t.elapsed() < EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        let name = self.names.get(p.file as usize).map(String::as_str).unwrap_or("input");
        let pct = (p.done_bytes * 100).checked_div(p.total_bytes).unwrap_or(0);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2Kpglens: loading {name} {pct}%, {} statements", p.statements);
        let _ = err.flush();
        self.shown = true;
    }

    /// Clears the line (the command's own output follows).
    pub fn finish(self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}
