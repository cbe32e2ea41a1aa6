//! Drift against migra's own fixtures (`../shared/corpus/migra/<case>/{a,b,expected}.sql`): for
//! every case, the objects our report says changed must be the objects migra's `expected.sql`
//! touches. Differences are allowed only when listed in [`EXCEPTIONS`] with their reason, and
//! every listed exception must still occur (so the list cannot go stale).
//!
//! Both sides are reduced to `(kind, key)` pairs at the granularity of our report: a statement of
//! migra's on a member (column, constraint, index, policy, trigger, privilege) of a table it also
//! creates or drops counts as that table, and so do ours; migra's flags per case
//! (FIXTURE_FLAGS.md) narrow what is compared (privileges only with `--with-privileges`, one
//! schema, extension versions). migra compares neither comments nor owners, so ours are left out.
//!
//! Run: `cargo test -p pglens-core --test drift_migra -- --nocapture` (prints each case).

use pg_query::protobuf::{self, node::Node as N, ObjectType};
use pglens_core::diff::{self, ChangeKind, Kind};
use pglens_core::{load_files, InputFile, Snapshot};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `(case, "kind key", side, reason)`: `side` is "ours" for an object only we report, "migra"
/// for one only migra's script touches.
const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
    ("collations", "collation public.posix", "migra", "collations are not modelled: CREATE COLLATION is listed in the inventory as not modelled"),
    (
        "dependencies2",
        "view x.q",
        "migra",
        "migra drops and recreates a view that reads a relation it replaces (x.data becomes a view); x.q's definition is the same on both sides",
    ),
    (
        "enumdefaults",
        "column public.orders.status",
        "migra",
        "migra re-types the columns of an enum it recreates; the column's type is the same on both sides and the enum's change is reported on the type",
    ),
    ("enumdeps", "column public.t.category", "migra", "as enumdefaults: a column of a recreated enum"),
    ("enumdeps", "view public.v", "migra", "migra recreates views that use the enum it recreates; the view's definition is the same on both sides"),
    ("enumdeps", "view public.v2", "migra", "as public.v: a view using the recreated enum, its definition unchanged"),
    ("everything", "column public.orders.status", "migra", "as enumdefaults: a column of a recreated enum"),
    (
        "generated_added",
        "table public.t",
        "ours",
        "migra's test suite does not use this fixture (FIXTURE_FLAGS.md) and its expected.sql does not match its files: table t exists only in a.sql",
    ),
    ("generated_added", "column public.demo_gencol.the_column", "migra", "same stale fixture: the_column is a plain TEXT column in both files"),
    (
        "inherit2",
        "column public.a.e",
        "migra",
        "in A, a.e is inherited from timestamp_base; in B it is a's own column of the same type: the same column to every query (migra drops and re-adds it because attislocal changed)",
    ),
    (
        "triggers3",
        "trigger public.view_on_table/trigger_on_view",
        "migra",
        "migra recreates the trigger because it drops and recreates the view it is on; the trigger's definition is the same",
    ),
];

type Obj = (String, String);

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/migra");
    if root.is_dir() {
        return Some(root);
    }
    if std::env::var("PGLENS_SKIP_CORPUS").as_deref() == Ok("1") {
        return None;
    }
    panic!("the shared corpus is missing at {} (set PGLENS_SKIP_CORPUS=1 to skip)", root.display());
}

fn load(path: &Path) -> Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load_files(&[InputFile { name: path.file_name().unwrap().to_string_lossy().into(), bytes }]).snapshot
}

struct Flags {
    privileges: bool,
    schema: Option<&'static str>,
    exclude_schema: Option<&'static str>,
    extension_versions: bool,
    extensions_only: bool,
}

fn flags(case: &str) -> Flags {
    let mut f = Flags { privileges: true, schema: None, exclude_schema: None, extension_versions: false, extensions_only: false };
    match case {
        "singleschema" => {
            f.privileges = false;
            f.schema = Some("goodschema");
        }
        "excludeschema" => {
            f.privileges = false;
            f.exclude_schema = Some("excludedschema");
        }
        "singleschema_ext" => {
            f.privileges = false;
            f.extensions_only = true;
        }
        "extversions" => {
            f.privileges = false;
            f.extension_versions = true;
        }
        "generated_added" => f.privileges = false,
        _ => {}
    }
    f
}

fn strings(items: &[protobuf::Node]) -> Vec<String> {
    items
        .iter()
        .filter_map(|n| match &n.node {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

fn rv(r: &Option<protobuf::RangeVar>) -> String {
    let r = r.as_ref().expect("a relation");
    format!("{}.{}", if r.schemaname.is_empty() { "public" } else { &r.schemaname }, r.relname)
}

/// The relation kind word a key has in A or B (`table`, `view`, `materialized_view`, `sequence`).
fn relation_word(key: &str, a: &Snapshot, b: &Snapshot) -> &'static str {
    for s in [a, b] {
        if s.tables.contains_key(key) {
            return "table";
        }
        if let Some(v) = s.views.get(key) {
            return if v.materialized { "materialized_view" } else { "view" };
        }
        if s.sequences.contains_key(key) {
            return "sequence";
        }
    }
    "table"
}

/// The function key in A or B with this qualified name (the only one, or the one with `nargs`).
fn function_key(name: &str, nargs: usize, a: &Snapshot, b: &Snapshot) -> String {
    let mut found: BTreeSet<String> = BTreeSet::new();
    for s in [a, b] {
        for (k, f) in &s.functions {
            if format!("{}.{}", f.schema, f.name) == name
                && f.arguments.iter().filter(|x| x.mode != "out" && x.mode != "table").count() == nargs
            {
                found.insert(k.clone());
            }
        }
    }
    found.into_iter().next().unwrap_or_else(|| format!("{name}(?)"))
}

/// An index's table, found in A or B by schema and index name.
fn index_key(schema: &str, name: &str, a: &Snapshot, b: &Snapshot) -> Obj {
    for s in [a, b] {
        for (k, t) in &s.tables {
            if t.schema == schema {
                if let Some(i) = t.indexes.get(name) {
                    return match &i.constraint {
                        Some(c) => ("constraint".into(), format!("{k}/{c}")),
                        None => ("index".into(), format!("{k}/{name}")),
                    };
                }
            }
        }
        for (k, v) in &s.views {
            if v.schema == schema && v.indexes.contains_key(name) {
                return ("index".into(), format!("{k}/{name}"));
            }
        }
    }
    ("index".into(), format!("{schema}.?/{name}"))
}

/// What one statement of migra's script touches.
fn touched(stmt: &protobuf::Node, a: &Snapshot, b: &Snapshot, out: &mut Vec<Obj>) {
    let Some(node) = &stmt.node else { return };
    let o = |k: &str, key: String| (k.to_string(), key);
    match node {
        N::CreateStmt(s) => out.push(o("table", rv(&s.relation))),
        N::CreateTableAsStmt(s) => {
            let key = rv(&s.into.as_ref().and_then(|i| i.rel.clone()));
            out.push(o(if s.objtype() == ObjectType::ObjectMatview { "materialized_view" } else { "table" }, key));
        }
        N::ViewStmt(s) => out.push(o("view", rv(&s.view))),
        N::CreateSeqStmt(s) => out.push(o("sequence", rv(&s.sequence))),
        N::AlterSeqStmt(s) => out.push(o("sequence", rv(&s.sequence))),
        N::CreateEnumStmt(s) => out.push(o("type", strings(&s.type_name).join("."))),
        N::CompositeTypeStmt(s) => out.push(o("type", rv(&s.typevar))),
        N::CreateDomainStmt(s) => out.push(o("type", strings(&s.domainname).join("."))),
        N::AlterEnumStmt(s) => out.push(o("type", strings(&s.type_name).join("."))),
        N::CreateExtensionStmt(s) => out.push(o("extension", s.extname.clone())),
        N::AlterExtensionStmt(s) => out.push(o("extension", s.extname.clone())),
        N::CreateSchemaStmt(s) => out.push(o("schema", s.schemaname.clone())),
        N::CreatePolicyStmt(s) => out.push(o("policy", format!("{}/{}", rv(&s.table), s.policy_name))),
        N::AlterPolicyStmt(s) => out.push(o("policy", format!("{}/{}", rv(&s.table), s.policy_name))),
        N::CreateTrigStmt(s) => out.push(o("trigger", format!("{}/{}", rv(&s.relation), s.trigname))),
        N::IndexStmt(s) => {
            let table = rv(&s.relation);
            let schema = table.split('.').next().unwrap().to_string();
            out.push(index_key(&schema, &s.idxname, a, b));
        }
        N::CreateFunctionStmt(s) => {
            let name = strings(&s.funcname).join(".");
            let nargs = s
                .parameters
                .iter()
                .filter(|p| matches!(&p.node, Some(N::FunctionParameter(f)) if !matches!(f.mode(), protobuf::FunctionParameterMode::FuncParamOut | protobuf::FunctionParameterMode::FuncParamTable)))
                .count();
            out.push(o("function", function_key(&name, nargs, a, b)));
        }
        N::RenameStmt(s) if s.rename_type() == ObjectType::ObjectType => {
            if let Some(N::List(l)) = s.object.as_ref().and_then(|n| n.node.as_ref()) {
                out.push(o("type", strings(&l.items).join(".")));
            }
        }
        N::AlterTableStmt(s) => {
            let table = rv(&s.relation);
            for cmd in &s.cmds {
                let Some(N::AlterTableCmd(c)) = &cmd.node else { continue };
                use protobuf::AlterTableType as T;
                match c.subtype() {
                    T::AtAddColumn => {
                        if let Some(N::ColumnDef(d)) = c.def.as_ref().and_then(|d| d.node.as_ref()) {
                            out.push(o("column", format!("{table}.{}", d.colname)));
                        }
                    }
                    T::AtDropColumn
                    | T::AtAlterColumnType
                    | T::AtSetNotNull
                    | T::AtDropNotNull
                    | T::AtColumnDefault
                    | T::AtAddIdentity
                    | T::AtDropIdentity
                    | T::AtSetIdentity
                    | T::AtSetExpression
                    | T::AtDropExpression => out.push(o("column", format!("{table}.{}", c.name))),
                    T::AtAddConstraint | T::AtAddIndexConstraint => {
                        if let Some(N::Constraint(k)) = c.def.as_ref().and_then(|d| d.node.as_ref()) {
                            out.push(o("constraint", format!("{table}/{}", k.conname)));
                        }
                    }
                    T::AtDropConstraint | T::AtValidateConstraint => out.push(o("constraint", format!("{table}/{}", c.name))),
                    T::AtEnableRowSecurity | T::AtDisableRowSecurity | T::AtForceRowSecurity | T::AtNoForceRowSecurity => {
                        out.push(o("rls", table.clone()))
                    }
                    T::AtDetachPartition | T::AtAttachPartition => {
                        if let Some(N::PartitionCmd(p)) = c.def.as_ref().and_then(|d| d.node.as_ref()) {
                            out.push(o("table", rv(&p.name)));
                        }
                    }
                    _ => out.push(o("table", table.clone())),
                }
            }
        }
        N::DropStmt(s) => {
            for obj in &s.objects {
                let names = match &obj.node {
                    Some(N::List(l)) => strings(&l.items),
                    Some(N::String(x)) => vec![x.sval.clone()],
                    Some(N::TypeName(t)) => strings(&t.names),
                    _ => vec![],
                };
                let word = match s.remove_type() {
                    ObjectType::ObjectTable => "table",
                    ObjectType::ObjectView => "view",
                    ObjectType::ObjectMatview => "materialized_view",
                    ObjectType::ObjectSequence => "sequence",
                    ObjectType::ObjectType | ObjectType::ObjectDomain => "type",
                    ObjectType::ObjectExtension => "extension",
                    ObjectType::ObjectSchema => "schema",
                    ObjectType::ObjectCollation => "collation",
                    ObjectType::ObjectPolicy | ObjectType::ObjectTrigger => {
                        let k = if s.remove_type() == ObjectType::ObjectPolicy { "policy" } else { "trigger" };
                        let (member, table) = names.split_last().unwrap();
                        out.push(o(k, format!("{}/{member}", table.join("."))));
                        continue;
                    }
                    ObjectType::ObjectIndex => {
                        out.push(index_key(&names[0], &names[1], a, b));
                        continue;
                    }
                    ObjectType::ObjectFunction | ObjectType::ObjectProcedure => {
                        if let Some(N::ObjectWithArgs(w)) = &obj.node {
                            out.push(o("function", function_key(&strings(&w.objname).join("."), w.objargs.len(), a, b)));
                        }
                        continue;
                    }
                    other => panic!("drop of {other:?} not mapped"),
                };
                let key = names.join(".");
                // migra renames an enum it recreates, then drops the old one under that name.
                let key = key.strip_suffix("__old_version_to_be_dropped").map(str::to_string).unwrap_or(key);
                out.push(o(word, key));
            }
        }
        N::GrantStmt(s) => {
            for g in &s.grantees {
                let Some(N::RoleSpec(r)) = &g.node else { continue };
                let grantee =
                    if r.roletype() == protobuf::RoleSpecType::RolespecPublic { "PUBLIC".to_string() } else { r.rolename.clone() };
                for obj in &s.objects {
                    let (word, key) = match &obj.node {
                        Some(N::RangeVar(v)) => {
                            let key = rv(&Some(v.clone()));
                            (relation_word(&key, a, b), key)
                        }
                        Some(N::ObjectWithArgs(w)) => ("function", function_key(&strings(&w.objname).join("."), w.objargs.len(), a, b)),
                        Some(N::String(x)) => ("schema", x.sval.clone()),
                        _ => continue,
                    };
                    out.push(o("privilege", format!("{word} {key} to {grantee}")));
                }
            }
        }
        N::VariableSetStmt(_) | N::SelectStmt(_) => {}
        N::CommentStmt(_) | N::AlterOwnerStmt(_) => {}
        other => panic!("statement not mapped: {other:?}"),
    }
}

fn migra_set(expected: &str, a: &Snapshot, b: &Snapshot) -> Vec<Obj> {
    let split = pglens_core::load::split(expected, 0);
    let mut out = Vec::new();
    for st in &split.statements {
        let text = st.text(expected);
        let stmts = pglens_core::parse::parse_sql(text).unwrap_or_else(|e| panic!("migra's statement does not parse: {text}: {e:?}"));
        for s in stmts {
            if let Some(n) = &s.stmt {
                touched(n, a, b, &mut out);
            }
        }
    }
    out
}

fn ours(drift: &diff::Drift) -> Vec<Obj> {
    let mut out = Vec::new();
    for c in &drift.changes {
        if matches!(c.kind, Kind::Comment | Kind::Owner) {
            continue;
        }
        out.push((c.kind.as_str().to_string(), c.key.clone()));
        if let Some(f) = &c.from_key {
            out.push((c.kind.as_str().to_string(), f.clone()));
        }
    }
    out
}

/// Members of tables (and views) created or dropped in the same set are folded into them.
fn normalize(set: Vec<Obj>, case: &Flags, whole: &BTreeSet<String>) -> BTreeSet<String> {
    let member_of = |kind: &str, key: &str| -> Option<String> {
        let parent = match kind {
            "column" => key.rsplit_once('.').map(|(t, _)| t.to_string()),
            "constraint" | "index" | "policy" | "trigger" => key.rsplit_once('/').map(|(t, _)| t.to_string()),
            "rls" => Some(key.to_string()),
            "privilege" => {
                let (_, rest) = key.split_once(' ')?;
                let (obj, _) = rest.rsplit_once(" to ")?;
                let word = key.split(' ').next()?;
                match word {
                    "column" => obj.rsplit_once('.').map(|(t, _)| t.to_string()),
                    "table" | "view" | "materialized_view" | "sequence" | "function" | "schema" => Some(obj.to_string()),
                    _ => None,
                }
            }
            _ => None,
        };
        parent
    };
    let mut out = BTreeSet::new();
    for (kind, key) in set {
        if !case.privileges && kind == "privilege" {
            continue;
        }
        if case.extensions_only && kind != "extension" {
            continue;
        }
        let schema = if kind == "privilege" {
            key.split(' ').nth(1).unwrap_or("").split('.').next().unwrap_or("")
        } else {
            key.split('.').next().unwrap_or("")
        };
        // migra's --schema takes extensions of that schema only: here they all live in public.
        if let Some(s) = case.schema {
            if schema != s || kind == "extension" {
                continue;
            }
        }
        if let Some(s) = case.exclude_schema {
            if schema == s || (kind == "schema" && key == s) {
                continue;
            }
        }
        if let Some(p) = member_of(&kind, &key) {
            if whole.contains(&p) {
                continue;
            }
        }
        // A view that becomes a materialized view is one object for this comparison.
        let kind = if kind == "materialized_view" { "view".to_string() } else { kind };
        out.insert(format!("{kind} {key}"));
    }
    out
}

/// Keys of relations created or dropped (wholly) by a set.
fn whole_objects(set: &[Obj]) -> BTreeSet<String> {
    set.iter()
        .filter(|(k, _)| matches!(k.as_str(), "table" | "view" | "materialized_view" | "function" | "sequence" | "schema"))
        .map(|(_, key)| key.clone())
        .collect()
}

#[test]
fn migra_fixtures_touch_the_objects_we_report() {
    let Some(root) = corpus() else { return };
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("a.sql").is_file()).collect();
    cases.sort();
    let mut unexpected = Vec::new();
    let mut used = BTreeSet::new();
    let mut total = 0;
    for dir in &cases {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let (a, b) = (load(&dir.join("a.sql")), load(&dir.join("b.sql")));
        let expected = std::fs::read_to_string(dir.join("expected.sql")).unwrap();
        let mut options = diff::Options::for_snapshots(&a, &b);
        let f = flags(&case);
        if !f.extension_versions {
            options.ignore.clear();
        }
        let drift = diff::diff(&a, &b, &options);
        let mut mine = ours(&drift);
        if !f.extension_versions {
            mine.retain(|(k, key)| {
                !(k == "extension"
                    && drift.changes.iter().any(|c| {
                        c.kind == Kind::Extension
                            && &c.key == key
                            && c.change == ChangeKind::Changed
                            && c.fields.iter().all(|x| x.field == "version")
                    }))
            });
        }
        if f.extensions_only {
            // --create-extensions-only: the extensions B adds, nothing else.
            mine.retain(|(k, key)| {
                k == "extension"
                    && drift.changes.iter().any(|c| c.kind == Kind::Extension && &c.key == key && c.change == ChangeKind::Added)
            });
        }
        let theirs = migra_set(&expected, &a, &b);
        let whole: BTreeSet<String> = whole_objects(&mine).union(&whole_objects(&theirs)).cloned().collect();
        // Only whole objects that are created or dropped absorb their members: a changed table does not.
        let created_or_dropped: BTreeSet<String> = drift
            .changes
            .iter()
            .filter(|c| matches!(c.change, ChangeKind::Added | ChangeKind::Removed))
            .map(|c| c.key.clone())
            .chain(
                theirs
                    .iter()
                    .filter(|(k, _)| k == "table")
                    .map(|(_, key)| key.clone())
                    .filter(|k| !a.tables.contains_key(k) || !b.tables.contains_key(k)),
            )
            .filter(|k| whole.contains(k))
            .collect();
        let (mine, theirs) = (normalize(mine, &f, &created_or_dropped), normalize(theirs, &f, &created_or_dropped));
        total += theirs.len();
        println!("== {case}: migra {} objects, ours {}", theirs.len(), mine.len());
        for (side, only) in [("ours", mine.difference(&theirs)), ("migra", theirs.difference(&mine))] {
            for obj in only {
                match EXCEPTIONS.iter().find(|(c, o, s, _)| *c == case && o == obj && *s == side) {
                    Some((_, _, _, why)) => {
                        println!("   excepted, only {side}: {obj}: {why}");
                        used.insert((case.clone(), obj.clone(), side));
                    }
                    None => {
                        println!("   UNEXPECTED, only {side}: {obj}");
                        unexpected.push(format!("{case}: only {side}: {obj}"));
                    }
                }
            }
        }
    }
    let stale: Vec<String> = EXCEPTIONS
        .iter()
        .filter(|(c, o, s, _)| !used.contains(&(c.to_string(), o.to_string(), s)))
        .map(|(c, o, s, _)| format!("{c}: {s}: {o}"))
        .collect();
    println!(
        "{} cases, {total} objects in migra's scripts, {} unexpected differences, {} exceptions",
        cases.len(),
        unexpected.len(),
        used.len()
    );
    assert!(unexpected.is_empty(), "differences from migra not in EXCEPTIONS:\n{}", unexpected.join("\n"));
    assert!(stale.is_empty(), "exceptions that no longer occur:\n{}", stale.join("\n"));
}
