//! Normalisation used on BOTH sides before comparing: PostgreSQL's catalog text (pg_get_expr,
//! pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef, pg_get_viewdef) and our model's text.
//!
//! Expressions are parsed with pg_query inside a carrier statement and deparsed, so parentheses,
//! whitespace and keyword case do not matter, while casts, constants and names still do. (We do
//! not use pg_query's fingerprint: it ignores constants, so `x > 0` and `x > 5` would compare equal.)
//! When the text does not parse, the fallback is the text with whitespace collapsed, prefixed with
//! `unparsed: ` so the report shows it.

fn deparse(sql: &str) -> Option<String> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    parsed.deparse(Default::default()).ok()
}

pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn via(prefix: &str, body: &str, suffix: &str) -> String {
    let body = body.trim().trim_end_matches(';').trim();
    match deparse(&format!("{prefix}{body}{suffix}")) {
        Some(d) => match (d.strip_prefix(prefix), suffix.is_empty()) {
            (Some(rest), true) => rest.to_string(),
            (Some(rest), false) => rest.strip_suffix(suffix).unwrap_or(rest).to_string(),
            (None, _) => d,
        },
        None => format!("unparsed: {}", squash(body)),
    }
}

/// A scalar expression (default, generated column, CHECK body, policy USING / WITH CHECK).
pub fn expr(s: &str) -> String {
    via("SELECT ", s, "")
}

/// A constraint definition in `pg_get_constraintdef` form.
pub fn constraint(s: &str) -> String {
    via("ALTER TABLE t ADD CONSTRAINT c ", s, "")
}

/// A whole statement (`CREATE INDEX`, `CREATE TRIGGER`) or a query (`SELECT ...`).
pub fn statement(s: &str) -> String {
    via("", s, "")
}

/// A partition bound (`FOR VALUES ...` / `DEFAULT`).
pub fn bound(s: &str) -> String {
    via("ALTER TABLE p ATTACH PARTITION c ", s, "")
}

/// A partition key (`RANGE (a)`), with or without a leading `PARTITION BY`.
pub fn partition_key(s: &str) -> String {
    let s = s.trim();
    let s = if s.len() >= 12 && s[..12].eq_ignore_ascii_case("PARTITION BY") { &s[12..] } else { s };
    via("CREATE TABLE t (a int) PARTITION BY ", s, "")
}

/// A `search_path` value: `'a', 'b'` / `a, b` / `""` / `''` all become `a, b` (or empty).
pub fn search_path(s: &str) -> String {
    s.split(',').map(|p| p.trim().trim_matches('\'').trim_matches('"').trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
}

/// A GUC value from either side (`'64MB'` / `64MB`).
pub fn guc_value(s: &str) -> String {
    search_path(s)
}

/// A boolean-ish reloption value.
pub fn reloption(k: &str, v: &str) -> String {
    let k = k.trim().to_ascii_lowercase();
    let v = v.trim().trim_matches('\'').trim_matches('"').to_ascii_lowercase();
    let v = match v.as_str() {
        "" | "on" | "true" | "yes" | "1" => "true".to_string(),
        "off" | "false" | "no" | "0" => "false".to_string(),
        _ => v,
    };
    format!("{k}={v}")
}

/// A collation name: `pg_catalog."C"` and `"C"` and `C` compare equal.
pub fn collation(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix("pg_catalog.").unwrap_or(s);
    s.trim_matches('"').to_string()
}

/// A routine body. SQL-standard bodies (`BEGIN ATOMIC ... END` from `pg_get_function_sqlbody`, or
/// our `;`-joined statements; `RETURN expr`) are parsed and deparsed statement by statement; a
/// string body (`AS $$...$$`, pg_proc.prosrc) is compared as written, trimmed.
pub fn sql_body(s: &str) -> String {
    let t = s.trim().trim_end_matches(';').trim();
    let upper = t.to_ascii_uppercase();
    if upper.starts_with("RETURN ") || upper.starts_with("RETURN\n") {
        return format!("RETURN {}", expr(&t[6..]));
    }
    let inner = if upper.starts_with("BEGIN ATOMIC") && upper.ends_with("END") { t[12..t.len() - 3].trim() } else { t };
    match pg_query::parse(inner, 0).ok().and_then(|p| p.deparse(Default::default()).ok()) {
        Some(d) => d,
        None => format!("unparsed: {}", squash(inner)),
    }
}

/// A type name as `format_type` prints it; whitespace only.
pub fn type_name(s: &str) -> String {
    squash(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parentheses_do_not_matter_constants_do() {
        assert_eq!(expr("(auth.uid() = user_id)"), expr("((auth.uid()) = user_id)"));
        assert_ne!(expr("x > 0"), expr("x > 5"));
        assert_eq!(constraint("CHECK ((price >= (0)::numeric))"), constraint("CHECK (price >= 0::numeric)"));
        assert_eq!(search_path("'inventory', 'pg_temp'"), search_path("inventory, pg_temp"));
        assert_eq!(search_path("\"\""), "");
    }
}
