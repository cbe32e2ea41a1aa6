//! Fix hints: SQL that would bring B in line with A, with what running it would cost. A hint for
//! review, not a migration: it does not order statements by dependency.

use super::compare::{Draft, Obj};
use super::render::{self, definition, name};
use super::{ChangeKind, Fix, Hazard};
use crate::build::names::{qualified_ident, quote_ident as q};

pub fn hint(d: &Draft) -> Option<Fix> {
    match (d.change, &d.a, &d.b) {
        (ChangeKind::Removed, Some(Obj::Index(i)), _) => Some(Fix { sql: concurrently(i), hazards: vec![] }),
        (ChangeKind::Removed, Some(a), _) => Some(Fix { sql: definition(a), hazards: create_hazards(a) }),
        (ChangeKind::Added, _, Some(b)) => drop(b),
        (ChangeKind::Renamed, Some(a), Some(b)) => rename(a, b).map(|sql| {
            let mut fix = Fix { sql, hazards: vec![Hazard::Locks] };
            if let Some(rest) = changed(d, a, b) {
                fix.sql.push('\n');
                fix.sql.push_str(&rest.sql);
                fix.hazards.extend(rest.hazards);
                fix.hazards.sort();
                fix.hazards.dedup();
            }
            fix
        }),
        (ChangeKind::Changed, Some(a), Some(b)) => changed(d, a, b),
        _ => None,
    }
}

/// A's index built without blocking writes (CONCURRENTLY cannot run inside a transaction block).
fn concurrently(i: &crate::model::Index) -> String {
    i.definition.replacen("INDEX ", "INDEX CONCURRENTLY ", 1).trim_end_matches(';').to_string() + ";"
}

fn create_hazards(o: &Obj) -> Vec<Hazard> {
    match o {
        // Validating a constraint or building an index reads the whole table under a lock.
        Obj::Constraint(..) | Obj::Column(..) => vec![Hazard::Locks, Hazard::Rewrites],
        _ => vec![],
    }
}

fn drop(o: &Obj) -> Option<Fix> {
    let (sql, hazards) = match o {
        Obj::Schema(s) => (format!("DROP SCHEMA {};", q(&s.name)), vec![Hazard::LosesData]),
        Obj::Table(t) => (format!("DROP TABLE {};", name(t)), vec![Hazard::LosesData, Hazard::Locks]),
        Obj::Column(t, c) => (format!("ALTER TABLE {} DROP COLUMN {};", name(t), q(&c.name)), vec![Hazard::LosesData, Hazard::Locks]),
        Obj::Constraint(t, c) => (format!("ALTER TABLE {} DROP CONSTRAINT {};", name(t), q(&c.name)), vec![Hazard::Locks]),
        Obj::Index(i) => (format!("DROP INDEX CONCURRENTLY {};", index_name(i)), vec![]),
        Obj::Policy(p) => (format!("DROP POLICY {} ON {};", q(&p.name), render::table_key_name(&p.table)), vec![]),
        Obj::Function(f) => {
            (format!("DROP {} {};", if f.is_procedure { "PROCEDURE" } else { "FUNCTION" }, render::function_name(f)), vec![])
        }
        Obj::Trigger(t) => (format!("DROP TRIGGER {} ON {};", q(&t.name), render::table_key_name(&t.table)), vec![Hazard::Locks]),
        Obj::View(v) => {
            (format!("DROP {}VIEW {};", if v.materialized { "MATERIALIZED " } else { "" }, qualified_ident(&v.schema, &v.name)), vec![])
        }
        Obj::Sequence(s) => (format!("DROP SEQUENCE {};", qualified_ident(&s.schema, &s.name)), vec![Hazard::LosesData]),
        Obj::Type(t) => (format!("DROP TYPE {};", qualified_ident(&t.schema, &t.name)), vec![]),
        Obj::Extension(e) => (format!("DROP EXTENSION {};", q(&e.name)), vec![]),
        Obj::Publication(p) => (format!("DROP PUBLICATION {};", q(&p.name)), vec![]),
        Obj::Privilege(t, g) => {
            let privs: Vec<&str> = g.set.iter().map(|(p, _)| p.as_str()).collect();
            (render::revoke(t, &g.grantee, &privs), vec![])
        }
        Obj::Comment(t, _) => (render::comment(t, None), vec![]),
        _ => return None,
    };
    Some(Fix { sql, hazards })
}

fn index_name(i: &crate::model::Index) -> String {
    let schema = i.table.split_once('.').map(|(s, _)| s).unwrap_or("public");
    qualified_ident(schema, &i.name)
}

fn rename(a: &Obj, b: &Obj) -> Option<String> {
    Some(match (a, b) {
        (Obj::Table(x), Obj::Table(y)) => format!("ALTER TABLE {} RENAME TO {};", name(y), q(&x.name)),
        (Obj::Column(_, x), Obj::Column(t, y)) => format!("ALTER TABLE {} RENAME COLUMN {} TO {};", name(t), q(&y.name), q(&x.name)),
        (Obj::Constraint(_, x), Obj::Constraint(t, y)) => {
            format!("ALTER TABLE {} RENAME CONSTRAINT {} TO {};", name(t), q(&y.name), q(&x.name))
        }
        (Obj::Index(x), Obj::Index(y)) => format!("ALTER INDEX {} RENAME TO {};", index_name(y), q(&x.name)),
        (Obj::Policy(x), Obj::Policy(y)) => {
            format!("ALTER POLICY {} ON {} RENAME TO {};", q(&y.name), render::table_key_name(&y.table), q(&x.name))
        }
        (Obj::Trigger(x), Obj::Trigger(y)) => {
            format!("ALTER TRIGGER {} ON {} RENAME TO {};", q(&y.name), render::table_key_name(&y.table), q(&x.name))
        }
        _ => return None,
    })
}

fn field<'d>(d: &'d Draft, name: &str) -> Option<(Option<&'d str>, Option<&'d str>)> {
    d.fields.iter().find(|f| f.field == name).map(|f| (f.a.as_deref(), f.b.as_deref()))
}

fn changed(d: &Draft, a: &Obj, b: &Obj) -> Option<Fix> {
    if d.fields.is_empty() {
        return None;
    }
    let mut sql = Vec::new();
    let mut hazards = Vec::new();
    match (a, b) {
        (Obj::Column(_, x), Obj::Column(t, y)) => {
            let col = format!("ALTER TABLE {} ALTER COLUMN {}", name(t), q(&y.name));
            if field(d, "data_type").is_some() {
                sql.push(format!("{col} TYPE {};", x.data_type));
                hazards.extend([Hazard::Locks, Hazard::Rewrites]);
            }
            match field(d, "not_null") {
                Some((Some("yes"), _)) => {
                    sql.push(format!("{col} SET NOT NULL;"));
                    hazards.extend([Hazard::Locks, Hazard::Rewrites]);
                }
                Some(_) => sql.push(format!("{col} DROP NOT NULL;")),
                None => {}
            }
            if field(d, "default").is_some() {
                match &x.default {
                    Some(e) => sql.push(format!("{col} SET DEFAULT {};", e.canonical)),
                    None => sql.push(format!("{col} DROP DEFAULT;")),
                }
            }
            if field(d, "identity").is_some() || field(d, "generated").is_some() || field(d, "collation").is_some() {
                sql.push(format!("-- identity, generation or collation differ: in A the column is {}", render::column(x)));
            }
        }
        (Obj::Constraint(_, x), Obj::Constraint(t, y)) => {
            sql.push(format!("ALTER TABLE {} DROP CONSTRAINT {};", name(t), q(&y.name)));
            sql.push(definition(&Obj::Constraint(t, x)));
            hazards.extend([Hazard::Locks, Hazard::Rewrites]);
        }
        (Obj::Index(x), Obj::Index(y)) => {
            sql.push(format!("DROP INDEX CONCURRENTLY {};", index_name(y)));
            sql.push(concurrently(x));
        }
        (Obj::Policy(x), Obj::Policy(y)) => {
            sql.push(format!("DROP POLICY {} ON {};", q(&y.name), render::table_key_name(&y.table)));
            sql.push(render::policy(x));
        }
        (Obj::Rls(x), Obj::Rls(_)) => {
            let t = name(x);
            if field(d, "enabled").is_some() {
                sql.push(format!("ALTER TABLE {t} {} ROW LEVEL SECURITY;", if x.rls_enabled { "ENABLE" } else { "DISABLE" }));
            }
            if field(d, "forced").is_some() {
                sql.push(format!("ALTER TABLE {t} {} ROW LEVEL SECURITY;", if x.rls_forced { "FORCE" } else { "NO FORCE" }));
            }
        }
        (Obj::Function(x), Obj::Function(_)) => {
            if field(d, "returns").is_some() || field(d, "arguments").is_some() || field(d, "kind").is_some() {
                sql.push(format!("DROP {} {};", if x.is_procedure { "PROCEDURE" } else { "FUNCTION" }, render::function_name(x)));
            }
            sql.push(render::function(x));
        }
        (Obj::View(x), Obj::View(y)) => {
            if d.fields.len() == 1 && field(d, "security_invoker").is_some() {
                let v = if x.security_invoker() { "true" } else { "false" };
                sql.push(format!("ALTER VIEW {} SET (security_invoker = {v});", qualified_ident(&y.schema, &y.name)));
            } else {
                if x.materialized || y.materialized {
                    sql.push(format!(
                        "DROP {}VIEW {};",
                        if y.materialized { "MATERIALIZED " } else { "" },
                        qualified_ident(&y.schema, &y.name)
                    ));
                    hazards.push(Hazard::Locks);
                }
                sql.push(definition(a).replacen("CREATE VIEW", "CREATE OR REPLACE VIEW", 1));
            }
        }
        (Obj::Trigger(x), Obj::Trigger(y)) => {
            sql.push(format!("DROP TRIGGER {} ON {};", q(&y.name), render::table_key_name(&y.table)));
            sql.push(definition(&Obj::Trigger(x)));
            hazards.push(Hazard::Locks);
        }
        // Fixes run against B: its names, for a renamed table.
        (Obj::Privilege(_, x), Obj::Privilege(t, y)) => {
            let extra: Vec<&str> = y.set.iter().filter(|p| !x.set.iter().any(|q| q.0 == p.0)).map(|p| p.0.as_str()).collect();
            if !extra.is_empty() {
                sql.push(render::revoke(t, &y.grantee, &extra));
            }
            let missing: std::collections::BTreeSet<(String, bool)> = x.set.iter().filter(|p| !y.set.contains(p)).cloned().collect();
            if !missing.is_empty() {
                sql.push(render::grant(t, &x.grantee, &super::meta::show(&missing)));
            }
        }
        (Obj::Owner(_, x), Obj::Owner(t, _)) => sql.push(render::owner_to(t, x)),
        (Obj::Type(x), Obj::Type(y)) => {
            if let (crate::model::TypeKind::Enum { labels: la }, crate::model::TypeKind::Enum { labels: lb }) = (&x.kind, &y.kind) {
                let n = qualified_ident(&y.schema, &y.name);
                for l in la.iter().filter(|l| !lb.contains(l)) {
                    sql.push(format!("ALTER TYPE {n} ADD VALUE IF NOT EXISTS {};", render::literal(l)));
                }
                if lb.iter().any(|l| !la.contains(l)) {
                    sql.push(format!(
                        "-- B's extra values of {n} cannot be dropped: recreate the type (and the columns that use it) to remove them"
                    ));
                    hazards.push(Hazard::Rewrites);
                }
            } else {
                sql.push(format!("-- recreate as in A:\n{}", definition(a)));
            }
        }
        (Obj::Extension(x), Obj::Extension(_)) => {
            if let Some(v) = &x.version {
                sql.push(format!("ALTER EXTENSION {} UPDATE TO {};", q(&x.name), render::literal(v)));
            }
            if let Some(s) = &x.schema {
                if field(d, "schema").is_some() {
                    sql.push(format!("ALTER EXTENSION {} SET SCHEMA {};", q(&x.name), q(s)));
                }
            }
        }
        (Obj::Table(x), Obj::Table(_)) => {
            sql.push(format!("-- table definitions differ ({}); in A:\n{}", fields(d), definition(&Obj::Table(x))))
        }
        _ => sql.push(format!("-- {} differ; in A:\n{}", fields(d), definition(a))),
    }
    if sql.is_empty() {
        return None;
    }
    hazards.sort();
    hazards.dedup();
    Some(Fix { sql: sql.join("\n"), hazards })
}

fn fields(d: &Draft) -> String {
    d.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(", ")
}
