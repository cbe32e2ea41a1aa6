//! Colour for the text format: only when asked (`--color always`) or when stdout is a terminal
//! and `NO_COLOR` is unset (<https://no-color.org>), so pipes, files and CI logs get plain text.

use pglens_core::checks::Priority;
use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// From `--color auto|always|never` (`None`: auto).
    pub fn from_option(value: Option<&str>) -> Result<Paint, String> {
        let on = match value.unwrap_or("auto") {
            "always" => true,
            "never" => false,
            "auto" => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            other => return Err(format!("--color takes auto, always or never, got {other}")),
        };
        Ok(Paint { on })
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A priority label: P0 bold red, P1 yellow, P2 dim.
    pub fn priority(self, p: Priority) -> String {
        let code = match p {
            Priority::P0 => "1;31",
            Priority::P1 => "33",
            Priority::P2 => "2",
        };
        self.wrap(code, p.as_str())
    }

    /// Secondary lines (fixes, assumptions).
    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_unless_on() {
        let off = Paint::from_option(Some("never")).unwrap();
        assert_eq!(off.priority(Priority::P0), "P0");
        let on = Paint::from_option(Some("always")).unwrap();
        assert_eq!(on.priority(Priority::P0), "\x1b[1;31mP0\x1b[0m");
        assert!(Paint::from_option(Some("sometimes")).is_err());
    }
}
