//! Diagnostics: what went wrong or looked odd while loading, with file, line and column.

use crate::model::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `parse_error`, `not_utf8`, `unterminated_dollar_quote`.
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub span: Span,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>, file: &str, span: Span) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            file: file.to_string(),
            line: span.line,
            column: span.column,
            span,
        }
    }

    pub fn cancelled(file: &str, span: Span) -> Self {
        Self::new(Severity::Warning, "cancelled", "loading was cancelled here; the model holds what was loaded before", file, span)
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}:{}:{}: {sev}[{}]: {}", self.file, self.line, self.column, self.code, self.message)
    }
}
