//! `pglens.toml`: what a team states about its database that a dump cannot.
//!
//! ```toml
//! [assumptions]
//! preset = "supabase"            # or "plain"; default: chosen from the snapshot
//! roles = ["anon", "authenticated", "service_role"]
//! bypass_rls = ["service_role"]
//! superusers = ["supabase_admin"]
//! member_of = { app_writer = ["app_reader"] }
//! exposed_schemas = ["public"]
//! api_roles = ["anon", "authenticated"]
//!
//! [checks]
//! disable = ["pk_not_id"]
//! priority = { duplicate_index = "P1" }
//! tenant_keys = ["tenant_id"]
//! sensitive_tables = ["payments", "*_secrets"]
//! baseline = ["3f2a9c0d1e4b5a67"]
//! ```
//!
//! Invariants: text in, data out (the CLI reads the file, the app keeps it in the page); unknown
//! keys are errors with their line and column, so a typo never silently changes a result.

use crate::access::Assumptions;
use crate::model::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub assumptions: AssumptionsConfig,
    pub checks: crate::checks::ChecksConfig,
}

/// Each field present replaces the preset's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssumptionsConfig {
    pub preset: Option<String>,
    pub roles: Option<Vec<String>>,
    pub bypass_rls: Option<Vec<String>>,
    pub superusers: Option<Vec<String>>,
    pub member_of: Option<BTreeMap<String, Vec<String>>>,
    pub exposed_schemas: Option<Vec<String>>,
    pub api_roles: Option<Vec<String>>,
}

/// A config file that could not be read: the message names the file, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_column(text, s.start)).unwrap_or((1, 1));
            ConfigError { message: e.message().trim().to_string(), line, column }
        })?;
        if let Some(p) = config.assumptions.preset.as_deref() {
            if !matches!(p, "supabase" | "plain") {
                let at = text.find(&format!("\"{p}\"")).unwrap_or(0);
                let (line, column) = line_column(text, at);
                return Err(ConfigError { message: format!("unknown preset `{p}`: use \"supabase\" or \"plain\""), line, column });
            }
        }
        Ok(config)
    }

    /// The assumptions for a snapshot: the preset (named, or chosen from the snapshot), then the
    /// fields this config sets. `preset` says `custom` when a field differs from the preset's.
    pub fn assumptions_for(&self, snap: &Snapshot) -> Assumptions {
        let c = &self.assumptions;
        let mut a = match c.preset.as_deref() {
            Some("supabase") => Assumptions::supabase(),
            Some("plain") => Assumptions::plain(),
            _ => Assumptions::for_snapshot(snap),
        };
        let preset = a.clone();
        if let Some(v) = &c.roles {
            a.roles = v.clone();
        }
        if let Some(v) = &c.bypass_rls {
            a.bypass_rls = v.clone();
        }
        if let Some(v) = &c.superusers {
            a.superusers = v.clone();
        }
        if let Some(v) = &c.member_of {
            a.member_of = v.clone();
        }
        if let Some(v) = &c.exposed_schemas {
            a.exposed_schemas = v.clone();
        }
        if let Some(v) = &c.api_roles {
            a.api_roles = v.clone();
        }
        // Fields spelled out with the preset's own values (the app's pglens.toml lists every
        // field) still are that preset.
        if a != preset {
            a.preset = "custom".into();
        }
        a
    }
}

fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) as u32 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_override_the_preset() {
        let c = Config::parse("[assumptions]\npreset = \"plain\"\nbypass_rls = [\"etl\"]\nmember_of = { app_writer = [\"app_reader\"] }\n")
            .unwrap();
        let a = c.assumptions_for(&Snapshot::default());
        assert_eq!(a.preset, "custom");
        assert_eq!(a.bypass_rls, ["etl"]);
        assert!(a.roles.is_empty());
        assert_eq!(a.member_of["app_writer"], ["app_reader"]);
    }

    #[test]
    fn empty_config_picks_the_preset_from_the_snapshot() {
        let a = Config::parse("").unwrap().assumptions_for(&Snapshot::default());
        assert_eq!(a, Assumptions::plain());
    }

    #[test]
    fn typos_are_errors_with_a_position() {
        let e = Config::parse("[assumptions]\nbypass_rsl = [\"x\"]\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("bypass_rsl"), "{e}");
        let e = Config::parse("[assumptions]\npreset = \"firebase\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 10), "{e}");
        let e = Config::parse("[assumptions\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }
}
