//! Tables without row level security whose columns look like credentials or personal data, readable through the API.
//!
//! ## What it finds
//! A table in an exposed schema (Supabase: `public`) with RLS disabled that `anon` or `authenticated`
//! can SELECT (the access matrix's cell: a privilege, directly, through PUBLIC or an inherited role,
//! plus USAGE on the schema), with columns named like secrets or personal identifiers: `password`,
//! `secret`, `token`, `api_key`, `ssn`, `credit_card`, `iban`, ... (splinter's list, matched on the whole
//! name with `-` read as `_`), or ending in `_password`, `_secret`, `_token`, `_api_key`, `_apikey`,
//! `_private_key`, `_ssn` (`encrypted_password`, `reset_token`), or starting with `password_`
//! (`password_hash`). When the role holds SELECT on some columns only, only those count. Same as
//! Supabase's advisor lint `sensitive_columns_exposed`, with the suffix patterns added.
//!
//! Not reported: boolean and date/time columns (`is_secret`, `password_changed_at` hold no secret),
//! partitions (their parent is reported), tables in Supabase's own schemas.
//!
//! ## Why it matters
//! Without RLS every row of the table goes to anyone holding the project's anon key: password hashes,
//! API tokens and personal identifiers are exactly what an attacker lists first.
//!
//! ## How to fix
//! Enable row level security (and add policies that never return the secret columns to other users),
//! or move the secrets to a table the API roles cannot read:
//! `ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;`
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). A column's name is only a hint of what it holds.

use super::security_util::{and_list, platform_schema};
use crate::access::State;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::Column;

pub static RULE: Rule = Rule {
    id: "sensitive_columns_exposed",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("sensitive_columns_exposed.rs"),
    check,
};

/// Whole names (splinter's list).
#[rustfmt::skip]
const NAMES: &[&str] = &[
    // Credentials.
    "password", "passwd", "pwd", "passphrase", "secret", "secret_key", "private_key", "api_key", "apikey", "auth_key",
    "token", "jwt", "access_token", "refresh_token", "oauth_token", "session_token", "bearer_token", "auth_code",
    "session_id", "session_key", "session_secret", "recovery_code", "backup_code", "verification_code", "otp",
    "two_factor", "2fa_secret", "2fa_code",
    // Personal identifiers.
    "ssn", "social_security", "social_security_number", "driver_license", "drivers_license", "license_number",
    "passport_number", "passport_id", "national_id", "tax_id",
    // Financial.
    "credit_card", "card_number", "cvv", "cvc", "cvn", "bank_account", "account_number", "routing_number", "iban",
    "swift_code", "bic",
    // Health.
    "health_record", "medical_record", "patient_id", "insurance_number", "health_insurance", "medical_insurance",
    "treatment",
    // Devices, keys, biometrics.
    "mac_address", "macaddr", "imei", "device_uuid", "pgp_key", "gpg_key", "ssh_key", "certificate", "license_key",
    "activation_key", "facial_recognition",
];

const SUFFIXES: &[&str] = &["_password", "_secret", "_token", "_api_key", "_apikey", "_private_key", "_ssn"];

const PREFIXES: &[&str] = &["password_"];

fn sensitive(c: &Column) -> bool {
    let t = c.data_type.as_str();
    if t == "boolean" || t == "date" || t.starts_with("timestamp") || t.starts_with("time ") || t == "interval" {
        return false;
    }
    let n = c.name.to_lowercase().replace('-', "_");
    NAMES.contains(&n.as_str()) || SUFFIXES.iter().any(|s| n.ends_with(s)) || PREFIXES.iter().any(|p| n.starts_with(p))
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.rls_enabled || t.partition_of.is_some() || !cx.is_exposed(&t.schema) || platform_schema(&t.schema) {
            continue;
        }
        let candidates: Vec<&Column> = t.columns.iter().filter(|c| sensitive(c)).collect();
        if candidates.is_empty() {
            continue;
        }
        let mut roles = Vec::new();
        let mut assumptions = Vec::new();
        let mut exposed: Vec<&str> = Vec::new();
        for r in cx.api_roles() {
            let Some(cell) = cx.cells(r, key).and_then(|c| c.first()) else {
                continue;
            };
            if cell.state == State::NoPrivilege {
                continue;
            }
            let readable: Vec<&str> = candidates
                .iter()
                .filter(|c| cell.columns.as_ref().is_none_or(|cols| cols.contains(&c.name)))
                .map(|c| c.name.as_str())
                .collect();
            if readable.is_empty() {
                continue;
            }
            roles.push(r.clone());
            assumptions.extend(cell.assumptions.iter().cloned());
            for c in readable {
                if !exposed.contains(&c) {
                    exposed.push(c);
                }
            }
        }
        if roles.is_empty() {
            continue;
        }
        exposed.sort_by_key(|c| t.columns.iter().position(|x| x.name == *c));
        out.emit(
            Draft::new(
                key,
                format!(
                    "{key} has RLS disabled and {} can read every row of its sensitive-looking column{} {}",
                    and_list(&roles),
                    if exposed.len() == 1 { "" } else { "s" },
                    exposed.join(", ")
                ),
            )
            .fix(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", qualified(&t.schema, &t.name)))
            .span(t.span)
            .assume([cx.exposed_assumption()])
            .assume(assumptions),
        );
    }
}
