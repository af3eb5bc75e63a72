//! Problems found in a flow document, each with where it is and how to fix it.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The flow still works, but probably not as meant.
    Warning,
    /// The flow cannot be used until this is fixed.
    Error,
}

/// One problem. Locations are a JSON pointer (`/steps/3/next`) and, for JSON sources, the
/// line and column (1-based) of the value it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem (`unknown-step`).
    pub code: &'static str,
    pub pointer: String,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            pointer: pointer.into(),
            message: message.into(),
            help: None,
            line: None,
            column: None,
        }
    }

    pub fn warning(
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, pointer, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the problem for a terminal, naming `file`.
    pub fn render(&self, file: &str) -> String {
        let mut out = self.to_string();
        let at = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            _ => file.to_owned(),
        };
        out.push_str(&format!(
            "\n  --> {at} ({})",
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            }
        ));
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  help: {help}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}[{}]: {}", self.code, self.message)
    }
}

/// Appends a segment to a JSON pointer, escaping `~` and `/`.
pub(super) fn push_pointer(pointer: &str, segment: &str) -> String {
    format!(
        "{pointer}/{}",
        segment.replace('~', "~0").replace('/', "~1")
    )
}
