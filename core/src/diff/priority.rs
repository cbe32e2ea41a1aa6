//! Why a change matters: P0 security drift, P1 integrity and performance, P2 the rest.

use super::compare::{Collector, Draft, Obj};
use super::meta::Exposure;
use super::{ChangeKind, Kind};
use crate::checks::Priority::{self, P0, P1, P2};
use crate::model::{Column, PolicyCommand};

pub fn judge(d: &Draft, c: &Collector) -> (Priority, String) {
    let exposed = |role: &str| role.eq_ignore_ascii_case("public") || c.options.exposed_roles.iter().any(|r| r == role);
    match d.kind {
        Kind::Rls => rls(d),
        Kind::Policy => policy(d, c, &exposed),
        Kind::Privilege => privilege(d, &exposed),
        Kind::Function => function(d),
        Kind::View | Kind::MaterializedView => view(d),
        Kind::Owner => owner(d),
        Kind::Comment => (P2, "a comment: documentation only".into()),
        kind => structure(d, kind),
    }
}

fn field<'d>(d: &'d Draft, name: &str) -> Option<(Option<&'d str>, Option<&'d str>)> {
    d.fields.iter().find(|f| f.field == name).map(|f| (f.a.as_deref(), f.b.as_deref()))
}

fn rls(d: &Draft) -> (Priority, String) {
    if field(d, "enabled") == Some((Some("yes"), Some("no"))) {
        return (
            P0,
            "row level security is off in B: every role with a grant reads and writes every row, whatever the policies say".into(),
        );
    }
    if field(d, "forced") == Some((Some("yes"), Some("no"))) {
        return (P0, "row level security is no longer forced in B: the table's owner (and what runs as it) bypasses the policies".into());
    }
    (P1, "B filters rows where A did not: queries there may return fewer rows or fail to write".into())
}

fn roles(p: &crate::model::Policy) -> String {
    p.roles.join(", ")
}

fn policy(d: &Draft, c: &Collector, exposed: &dyn Fn(&str) -> bool) -> (Priority, String) {
    let policy_of = |o: &Option<Obj>| match o {
        Some(Obj::Policy(p)) => Some(p.clone()),
        _ => None,
    };
    let (a, b) = (policy_of(&d.a), policy_of(&d.b));
    match (d.change, a, b) {
        (ChangeKind::Removed, Some(a), _) if c.removed_tables.contains(&a.table) => (P1, format!("removed with its table {}", a.table)),
        (ChangeKind::Removed, Some(a), _) if !a.permissive => {
            (P0, format!("restrictive policy removed in B: rows it kept from {} are no longer filtered out", roles(&a)))
        }
        (ChangeKind::Removed, Some(a), _) => {
            (P0, format!("policy removed in B: {} lose the rows it allowed, or another policy now decides alone", roles(&a)))
        }
        (ChangeKind::Added, _, Some(b)) if b.permissive && b.roles.iter().any(|r| exposed(r)) => {
            (P0, format!("new permissive policy in B for {}: rows A kept from them are reachable", roles(&b)))
        }
        (ChangeKind::Added, _, Some(b)) if b.permissive => {
            (P1, format!("new permissive policy in B: {} reach rows A kept from them", roles(&b)))
        }
        (ChangeKind::Added, _, Some(b)) => (P1, format!("new restrictive policy in B: {} see fewer rows than in A", roles(&b))),
        (_, Some(a), Some(b)) => changed_policy(d, &a, &b, exposed),
        _ => (P1, "policy changed".into()),
    }
}

fn changed_policy(d: &Draft, a: &crate::model::Policy, b: &crate::model::Policy, exposed: &dyn Fn(&str) -> bool) -> (Priority, String) {
    let mut worst: Option<(Priority, String)> = None;
    let mut raise = |p: Priority, why: String| {
        if worst.as_ref().is_none_or(|w| p < w.0) {
            worst = Some((p, why));
        }
    };
    if a.permissive != b.permissive {
        if b.permissive {
            raise(P0, "RESTRICTIVE became PERMISSIVE in B: it now adds rows instead of filtering them".into());
        } else {
            raise(P1, "PERMISSIVE became RESTRICTIVE in B: it now filters rows instead of allowing them, so fewer rows pass".into());
        }
    }
    let added: Vec<&String> = b.roles.iter().filter(|r| !a.roles.contains(r)).collect();
    let removed: Vec<&String> = a.roles.iter().filter(|r| !b.roles.contains(r)).collect();
    if !added.is_empty() {
        let names = added.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        let to_api = added.iter().any(|r| exposed(r));
        if a.permissive || b.permissive {
            let why =
                if to_api { format!("policy widened in B to {names} (an API role)") } else { format!("policy widened in B to {names}") };
            raise(P0, why);
        } else {
            raise(P1, format!("restrictive policy now also filters the rows of {names} in B"));
        }
    } else if !removed.is_empty() {
        let names = removed.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        raise(P1, format!("policy no longer applies to {names} in B"));
    }
    if a.command != b.command {
        let wider = a.command != PolicyCommand::All && b.command == PolicyCommand::All;
        let narrower = b.command != PolicyCommand::All && a.command == PolicyCommand::All;
        let (ca, cb) = (command(a.command), command(b.command));
        if narrower && a.permissive {
            raise(P1, format!("policy narrowed in B from {ca} to {cb}"));
        } else if wider || a.permissive {
            raise(P0, format!("policy now covers {cb} in B instead of {ca}"));
        } else {
            raise(P1, format!("restrictive policy now filters {cb} in B instead of {ca}"));
        }
    }
    for (f, what) in [("using", "USING"), ("with_check", "WITH CHECK")] {
        match field(d, f) {
            Some((Some(x), Some(y))) if super::text::narrower(x, y) => {
                raise(P1, format!("{what} narrowed in B: it keeps A's conditions and adds some, so fewer rows pass"));
            }
            Some((None, Some(_))) => raise(P1, format!("{what} added in B: fewer rows pass")),
            Some(_) => raise(P0, format!("{what} expression changed in B: which rows pass is different, and it may be wider")),
            None => {}
        }
    }
    worst.unwrap_or((P2, "same definition under another name: no access changes".into()))
}

fn command(c: PolicyCommand) -> &'static str {
    match c {
        PolicyCommand::All => "ALL",
        PolicyCommand::Select => "SELECT",
        PolicyCommand::Insert => "INSERT",
        PolicyCommand::Update => "UPDATE",
        PolicyCommand::Delete => "DELETE",
    }
}

fn privilege(d: &Draft, exposed: &dyn Fn(&str) -> bool) -> (Priority, String) {
    let (target, grantee, before, after) = match (&d.a, &d.b) {
        (a, Some(Obj::Privilege(t, g))) => {
            let before = match a {
                Some(Obj::Privilege(_, p)) => p.set.clone(),
                _ => Default::default(),
            };
            (t, g.grantee.as_str(), before, g.set.clone())
        }
        (Some(Obj::Privilege(t, g)), None) => (t, g.grantee.as_str(), g.set.clone(), Default::default()),
        _ => return (P1, "privileges changed".into()),
    };
    let gained: Vec<&str> = after.iter().filter(|p| !before.iter().any(|q| q.0 == p.0)).map(|p| p.0.as_str()).collect();
    let lost: Vec<&str> = before.iter().filter(|p| !after.iter().any(|q| q.0 == p.0)).map(|p| p.0.as_str()).collect();
    let what = target.label();
    if target.sql_kind == "DEFAULT PRIVILEGES" {
        let granted: Vec<&str> = gained.iter().copied().filter(|p| !p.starts_with("revoked ")).collect();
        return if !granted.is_empty() && exposed(grantee) {
            (P0, format!("objects created from now on will grant {} to {grantee}: {what} in B", granted.join(", ")))
        } else {
            (P1, format!("the privileges new objects get differ: {what}, for {grantee}"))
        };
    }
    if !gained.is_empty() {
        let list = gained.join(", ");
        if exposed(grantee) {
            let truncate = gained.contains(&"TRUNCATE");
            return match target.exposure {
                _ if truncate => (P0, format!("{grantee} may TRUNCATE {what} in B: TRUNCATE ignores row level security")),
                Exposure::Rows => (P0, format!("{grantee} gained {list} on {what} in B, which has no row filter (row security off, or a view that reads as its owner)")),
                Exposure::Definer => (P0, format!("{grantee} may call {what} in B, which runs as its owner (SECURITY DEFINER)")),
                Exposure::Schema if gained.contains(&"CREATE") => (P0, format!("{grantee} may create objects in {what} in B")),
                Exposure::Schema => (P1, format!("{grantee} gained {list} on {what} in B")),
                Exposure::RowsByPolicy => (P2, format!("{grantee} gained {list} on {what} in B; row security is on there, so its policies decide which rows")),
                Exposure::Function | Exposure::Minor => (P2, format!("{grantee} gained {list} on {what} in B; it runs or reads with the caller's rights")),
            };
        }
        if lost.is_empty() {
            return (P2, format!("{grantee} (not an API role) gained {list} on {what} in B"));
        }
    }
    if !lost.is_empty() {
        return (P1, format!("{grantee} lost {} on {what} in B: code that relies on it fails there", lost.join(", ")));
    }
    (P2, format!("grant options of {grantee} on {what} differ"))
}

fn function(d: &Draft) -> (Priority, String) {
    fn f<'x>(o: &Option<Obj<'x>>) -> Option<&'x crate::model::Function> {
        match o {
            Some(Obj::Function(f)) => Some(*f),
            _ => None,
        }
    }
    let (a, b) = (f(&d.a), f(&d.b));
    match d.change {
        ChangeKind::Added => match b {
            Some(b) if b.security_definer && b.search_path().is_none() => (
                P0,
                "new SECURITY DEFINER function in B without a pinned search_path: a caller's objects can shadow the ones it means".into(),
            ),
            Some(b) if b.security_definer => (P1, "new SECURITY DEFINER function in B: it runs with its owner's rights".into()),
            _ => (P2, "new function in B".into()),
        },
        ChangeKind::Removed => (P1, "function dropped in B: callers fail there".into()),
        _ => {
            if field(d, "security_definer") == Some((Some("no"), Some("yes"))) {
                return (P0, "SECURITY DEFINER added in B: it now runs with its owner's rights".into());
            }
            let definer = b.is_some_and(|b| b.security_definer);
            if definer && a.is_some_and(|a| a.search_path().is_some()) && b.is_some_and(|b| b.search_path().is_none()) {
                return (
                    P0,
                    "search_path no longer pinned in B on a SECURITY DEFINER function: a caller's objects can shadow the ones it means"
                        .into(),
                );
            }
            if definer && field(d, "body").is_some() {
                return (P0, "body changed in B of a SECURITY DEFINER function: what runs with its owner's rights changed".into());
            }
            if field(d, "body").is_some() {
                return (P1, "body changed in B: the function behaves differently".into());
            }
            (P1, format!("{} changed in B", d.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(", ")))
        }
    }
}

fn view(d: &Draft) -> (Priority, String) {
    if field(d, "security_invoker") == Some((Some("yes"), Some("no"))) {
        return (P0, "the view lost security_invoker in B: it reads its tables as its owner, bypassing the caller's row security".into());
    }
    match d.change {
        ChangeKind::Added => (P2, "new view in B; who can read it is reported with its privileges".into()),
        ChangeKind::Removed => (P1, "view dropped in B: queries that read it fail there".into()),
        _ => (P1, "view definition changed in B: it returns different rows or columns".into()),
    }
}

fn owner(d: &Draft) -> (Priority, String) {
    let runs_as_owner = matches!(&d.b, Some(Obj::Owner(t, _)) if matches!(t.exposure, Exposure::Definer) || t.word == "view" || t.word == "materialized_view");
    if runs_as_owner {
        (P1, "owner changed in B on an object that runs or reads with its owner's rights".into())
    } else {
        (P2, "owner changed in B".into())
    }
}

fn not_null_without_default(c: &Column) -> bool {
    c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none()
}

fn structure(d: &Draft, kind: Kind) -> (Priority, String) {
    let noun = kind.as_str().replace('_', " ");
    match (kind, d.change) {
        (Kind::Column, ChangeKind::Added) => match &d.b {
            Some(Obj::Column(_, c)) if not_null_without_default(c) => {
                (P1, "new NOT NULL column without a default in B: inserts that omit it fail there".into())
            }
            _ => (P2, "new column in B".into()),
        },
        (Kind::Column, ChangeKind::Changed) => {
            if field(d, "data_type").is_some() {
                (P1, "column type differs: values, casts and client code may break".into())
            } else if field(d, "not_null").is_some() {
                (P1, "nullability differs: one side accepts NULLs the other rejects".into())
            } else {
                (P1, format!("column {} differs", d.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(", ")))
            }
        }
        (Kind::Table | Kind::Column | Kind::Index | Kind::Constraint, ChangeKind::Renamed)
            if d.fields.is_empty() && kind != Kind::Table && kind != Kind::Column =>
        {
            (P2, format!("same {noun} under another name"))
        }
        (_, ChangeKind::Renamed) => (P1, format!("{noun} renamed in B: code that names it fails there")),
        (Kind::Table, ChangeKind::Removed) => (P1, "table dropped in B: its data and the queries that use it are gone".into()),
        (Kind::Column, ChangeKind::Removed) => (P1, "column dropped in B: its data and the queries that use it are gone".into()),
        (Kind::Constraint, ChangeKind::Removed) => (P1, "constraint dropped in B: B accepts rows A rejects".into()),
        (Kind::Constraint, ChangeKind::Changed) => (P1, "constraint differs: the two sides accept different rows".into()),
        (Kind::Index, ChangeKind::Removed) => {
            (P1, "index dropped in B: queries that used it scan instead (and uniqueness it enforced is gone)".into())
        }
        (Kind::Index, ChangeKind::Changed) => (P1, "index definition differs: plans and uniqueness differ".into()),
        (Kind::Trigger, ChangeKind::Removed | ChangeKind::Changed) => {
            (P1, "trigger dropped or changed in B: what it enforced or recorded no longer happens the same way".into())
        }
        (Kind::Type, ChangeKind::Removed) => (P1, "type dropped in B".into()),
        (Kind::Type, ChangeKind::Changed) => match field(d, "labels") {
            Some((Some(a), Some(b))) if b.starts_with(a) => (P2, "enum values added in B".into()),
            _ => (P1, "type differs: values valid on one side are rejected on the other".into()),
        },
        (Kind::Extension, ChangeKind::Changed) if field(d, "schema").is_none() => (P2, "extension version differs".into()),
        (Kind::Publication, _) => (P2, "publication differs: replication only".into()),
        (Kind::Sequence, ChangeKind::Changed) => (P2, "sequence options differ".into()),
        (_, ChangeKind::Removed) => (P1, format!("{noun} dropped in B: what depends on it fails there")),
        (_, ChangeKind::Added) => (P2, format!("new {noun} in B")),
        (_, ChangeKind::Changed) => (P1, format!("{noun} differs")),
    }
}
