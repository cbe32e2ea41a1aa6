//! Applying parsed statements to the model, in input order, as PostgreSQL would.
//!
//! Invariants:
//! - Every statement ends in exactly one bucket: modelled, unmodelled (kept with kind, reason,
//!   text and span), or a parse error (a diagnostic).
//! - A statement that refers to something the model does not have (an `ALTER TABLE` of a table
//!   never created) is unmodelled with that reason, never a panic.
//! - Later definitions win (`CREATE OR REPLACE`), like the server.
//! - pg_query types stay inside this module tree and `parse`.

pub(crate) mod acl;
mod canon;
mod format;
pub(crate) mod names;
mod other;
mod relation;
mod routine;
mod source;

pub use names::{format_type, quote_ident};

/// The canonical form of an expression given alone as text (a `pg_policies` export's `qual`), the
/// same form the builder gives the dump's expressions. Errors carry PostgreSQL's message and the
/// byte offset into `text`.
pub fn canonical_expression(text: &str) -> Result<Expr, (String, usize)> {
    let node = crate::parse::parse_expression(text)?;
    let e = canon::expr(&node);
    Ok(Expr { text: text.to_string(), canonical: e.canonical })
}

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Split, Statement};
use crate::model::*;
use crate::parse::Parsed;
use pg_query::protobuf::{self, node::Node as N};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// What applying one statement did.
pub(crate) enum Outcome {
    Modelled,
    /// Kept as unmodelled with this reason.
    Unmodelled(String),
}

use Outcome::*;

pub(crate) fn not_modelled() -> Outcome {
    Unmodelled("not modelled".to_string())
}

pub(crate) fn missing(what: &str, key: &str) -> Outcome {
    Unmodelled(format!("refers to {what} {key}, which this snapshot does not define (objects that belong to an extension, and built-in ones, are not in a dump)"))
}

/// The statement being applied: its text and where it is.
pub(crate) struct Ctx<'a> {
    /// The statement's text; parser locations are offsets into it once `location_base` is
    /// taken off (see `offset`).
    pub text: &'a str,
    pub span: Span,
    /// Where the statement started in the text the parser saw (`parse::parse_batch`).
    pub location_base: i32,
}

impl Ctx<'_> {
    /// A parser location as a byte offset into `text`; an unset location (0 or -1) is 0.
    pub fn offset(&self, location: i32) -> usize {
        let relative = if location >= self.location_base { location - self.location_base } else { location.max(0) };
        (relative.max(0) as usize).min(self.text.len())
    }
}

#[derive(Default)]
pub struct Builder {
    pub(crate) snap: Snapshot,
    /// Schema for unqualified names (first entry of the session's `search_path`).
    pub(crate) creation_schema: String,
    /// The user set by `SET SESSION AUTHORIZATION` / `SET ROLE`: the grantor of what it grants.
    pub(crate) session_user: Option<String>,
    /// The snapshot's tables and sequences while statements are applied, moved into its ordered
    /// maps by `finish`: nearly every statement looks one of them up, and an ordered map's
    /// lookup compares keys a byte at a time (the wasm build's memcmp) at every node it passes.
    pub(crate) tables: HashMap<String, Table, KeyHash>,
    pub(crate) sequences: HashMap<String, Sequence, KeyHash>,
    /// `schema.index` → key of the table (or materialized view) that holds it.
    pub(crate) index_home: HashMap<String, String, KeyHash>,
    /// Every key named as a partition's or an inheritance child's parent, whether or not the link
    /// still stands: `children` of any other table is empty without a scan of all tables.
    pub(crate) parent_keys: HashSet<String, KeyHash>,
    /// Objects whose ACL has been written explicitly (GRANT/REVOKE seen); the rest get the
    /// owner's default privileges at `finish`.
    pub(crate) acl_touched: std::collections::HashSet<(acl::AclObject, String)>,
}

impl Builder {
    pub fn new() -> Self {
        let mut b = Builder { creation_schema: "public".into(), ..Default::default() };
        // Every database has `public`, so dumps never create it. Its PostgreSQL 15+ defaults:
        // owned by pg_database_owner, USAGE for PUBLIC (before 15 PUBLIC could also CREATE).
        let owner = "pg_database_owner".to_string();
        let grant = |grantee: &str, privilege: &str| Privilege {
            grantee: grantee.into(),
            privilege: privilege.into(),
            grantable: false,
            grantor: Some(owner.clone()),
            span: None,
        };
        b.snap.schemas.insert(
            "public".into(),
            Schema {
                name: "public".into(),
                owner: Some(owner.clone()),
                comment: None,
                privileges: vec![grant("PUBLIC", "USAGE"), grant(&owner, "CREATE"), grant(&owner, "USAGE")],
                span: Span::default(),
            },
        );
        b.acl_touched.insert((acl::AclObject::Schema, "public".into()));
        b
    }

    pub fn add_file(&mut self, f: SourceFile) {
        self.snap.stats.bytes += f.size;
        self.snap.files.push(f);
    }

    pub fn add_policy_exports(&mut self, rows: Vec<ExportedPolicy>) {
        self.snap.policy_exports.extend(rows);
    }

    pub fn note_split(&mut self, s: &Split) {
        self.snap.stats.meta_commands += s.meta_commands;
        self.snap.stats.copy_blocks += s.copy_blocks;
        self.snap.stats.copy_rows += s.copy_rows;
    }

    pub fn statements(&self) -> u64 {
        self.snap.stats.statements
    }

    pub fn apply(&mut self, source: &str, stmt: &Statement, parsed: Parsed, file: &str, diagnostics: &mut Vec<Diagnostic>) {
        self.apply_at(source, stmt, parsed, 0, file, diagnostics);
    }

    /// [`Builder::apply`] of trees whose locations count from `location_base`
    /// (`parse::parse_batch`).
    pub(crate) fn apply_at(
        &mut self,
        source: &str,
        stmt: &Statement,
        parsed: Parsed,
        location_base: i32,
        file: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        self.snap.stats.statements += 1;
        let raws = match parsed {
            Ok(r) => r,
            Err(e) => {
                self.snap.stats.parse_errors += 1;
                diagnostics.push(Diagnostic::new(Severity::Error, "parse_error", e.message, file, e.span));
                return;
            }
        };
        let ctx = Ctx { text: stmt.text(source), span: stmt.span, location_base };
        let mut reasons = Vec::new();
        for raw in &raws {
            let Some(n) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
                continue;
            };
            if let Unmodelled(r) = self.dispatch(n, &ctx) {
                reasons.push(r);
            }
        }
        if reasons.is_empty() {
            self.snap.stats.modelled += 1;
        } else {
            self.snap.stats.unmodelled += 1;
            let text = stmt.text(source);
            self.snap.unmodelled.push(crate::model::Unmodelled {
                kind: statement_kind(text),
                reason: reasons.join("; "),
                text: text.to_string(),
                header: stmt.header.clone(),
                span: stmt.span,
            });
        }
    }

    fn dispatch(&mut self, n: &N, ctx: &Ctx) -> Outcome {
        let outcome = self.dispatch_statement(n, ctx);
        if self.session_user.is_some() || !self.snap.default_privileges.is_empty() {
            if let Some((kind, key, schema)) = self.created_object(n) {
                // An object created under SET ROLE belongs to that role, as on the server.
                if let Some(role) = self.session_user.clone() {
                    self.set_owner_if_unset(kind, &key, role);
                }
                self.apply_default_privileges(kind, &key, schema.as_deref());
            }
        }
        outcome
    }

    fn set_owner_if_unset(&mut self, kind: acl::AclObject, key: &str, role: String) {
        use acl::AclObject as A;
        let slot = match kind {
            A::Relation | A::Sequence => self
                .tables
                .get_mut(key)
                .map(|t| &mut t.owner)
                .or_else(|| self.snap.views.get_mut(key).map(|v| &mut v.owner))
                .or_else(|| self.sequences.get_mut(key).map(|s| &mut s.owner)),
            A::Function => self.snap.functions.get_mut(key).map(|f| &mut f.owner),
            A::Type => self.snap.types.get_mut(key).map(|t| &mut t.owner),
            A::Schema => self.snap.schemas.get_mut(key).map(|s| &mut s.owner),
        };
        if let Some(owner @ None) = slot {
            *owner = Some(role);
        }
    }

    /// The object a CREATE statement makes, for its owner and the default privileges it receives.
    fn created_object(&self, n: &N) -> Option<(acl::AclObject, String, Option<String>)> {
        use acl::AclObject as A;
        let relation = |kind, r: &Option<protobuf::RangeVar>| {
            let key = self.rel_key(r);
            let schema = key.split_once('.').map(|(s, _)| s.to_string());
            Some((kind, key, schema))
        };
        let qualified = |kind, (schema, name): (String, String)| Some((kind, key::qualified(&schema, &name), Some(schema)));
        match n {
            N::CreateStmt(s) => relation(A::Relation, &s.relation),
            N::CreateForeignTableStmt(s) => relation(A::Relation, &s.base_stmt.as_ref()?.relation),
            N::ViewStmt(s) => relation(A::Relation, &s.view),
            N::CreateTableAsStmt(s) => relation(A::Relation, &s.into.as_ref()?.rel),
            N::CreateSeqStmt(s) => relation(A::Sequence, &s.sequence),
            N::CreateFunctionStmt(s) => {
                let (schema, name) = self.list_key(&s.funcname);
                let key = key::routine(&schema, &name, &routine::signature_of(&s.parameters));
                Some((A::Function, key, Some(schema)))
            }
            N::CreateEnumStmt(s) => qualified(A::Type, self.list_key(&s.type_name)),
            N::CreateRangeStmt(s) => qualified(A::Type, self.list_key(&s.type_name)),
            N::CreateDomainStmt(s) => qualified(A::Type, self.list_key(&s.domainname)),
            N::CompositeTypeStmt(s) => relation(A::Type, &s.typevar),
            N::CreateSchemaStmt(s) => Some((A::Schema, s.schemaname.clone(), None)),
            _ => None,
        }
    }

    fn dispatch_statement(&mut self, n: &N, ctx: &Ctx) -> Outcome {
        match n {
            N::CreateSchemaStmt(s) => self.create_schema(s, ctx),
            N::CreateStmt(s) => self.create_table(s, ctx, TableKind::Ordinary),
            N::CreateForeignTableStmt(s) => match &s.base_stmt {
                Some(base) => self.create_table(base, ctx, TableKind::Foreign),
                None => not_modelled(),
            },
            N::AlterTableStmt(s) => self.alter_table(s, ctx),
            N::IndexStmt(s) => self.create_index(s, ctx),
            N::CreatePolicyStmt(s) => self.create_policy(s, ctx),
            N::AlterPolicyStmt(s) => self.alter_policy(s, ctx),
            N::CreateFunctionStmt(s) => self.create_function(s, ctx),
            N::AlterFunctionStmt(s) => self.alter_function(s),
            N::CreateTrigStmt(s) => self.create_trigger(s, ctx),
            N::ViewStmt(s) => self.create_view(s, ctx),
            N::CreateTableAsStmt(s) => self.create_matview(s, ctx),
            N::CreateSeqStmt(s) => self.create_sequence(s, ctx),
            N::AlterSeqStmt(s) => self.alter_sequence(s),
            N::CreateEnumStmt(s) => self.create_enum(s, ctx),
            N::AlterEnumStmt(s) => self.alter_enum(s),
            N::CompositeTypeStmt(s) => self.create_composite(s, ctx),
            N::CreateDomainStmt(s) => self.create_domain(s, ctx),
            N::CreateRangeStmt(s) => self.create_range(s, ctx),
            N::DefineStmt(s) => self.define(s, ctx),
            N::CreateExtensionStmt(s) => self.create_extension(s, ctx),
            N::GrantStmt(s) => self.grant(s, ctx),
            N::AlterDefaultPrivilegesStmt(s) => self.default_privileges(s, ctx),
            N::CommentStmt(s) => self.comment(s),
            N::AlterOwnerStmt(s) => self.alter_owner(s),
            N::CreateEventTrigStmt(s) => self.create_event_trigger(s, ctx),
            N::AlterEventTrigStmt(s) => self.alter_event_trigger(s),
            N::CreatePublicationStmt(s) => self.create_publication(s, ctx),
            N::AlterPublicationStmt(s) => self.alter_publication(s),
            N::DropStmt(s) => self.drop(s),
            N::VariableSetStmt(s) => {
                let reset = s.kind != protobuf::VariableSetKind::VarSetValue as i32;
                match s.name.as_str() {
                    "search_path" => self.set_search_path(s.args.iter().filter_map(const_string).collect()),
                    // pg_dump switches user to replay a GRANT made by someone other than the owner.
                    "session_authorization" | "role" => {
                        self.session_user = if reset { None } else { s.args.iter().find_map(const_string) };
                    }
                    "" if s.kind == protobuf::VariableSetKind::VarResetAll as i32 => self.session_user = None,
                    _ => {}
                }
                Unmodelled("session setting".into())
            }
            N::SelectStmt(s) => {
                // pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`
                if let Some(path) = set_config_search_path(s) {
                    self.set_search_path(path);
                    return Unmodelled("session setting".into());
                }
                Unmodelled("a query, not a definition".into())
            }
            N::InsertStmt(_) | N::UpdateStmt(_) | N::DeleteStmt(_) | N::CopyStmt(_) => Unmodelled("data, not schema".into()),
            N::TransactionStmt(_) => Unmodelled("transaction control".into()),
            _ => not_modelled(),
        }
    }

    fn set_search_path(&mut self, path: Vec<String>) {
        let first = path.iter().flat_map(|p| p.split(',')).map(|s| s.trim().trim_matches('"')).find(|s| !s.is_empty() && *s != "$user");
        self.creation_schema = first.unwrap_or("public").to_string();
    }

    /// Schema and name of a RangeVar, with unqualified names in the creation schema.
    pub(crate) fn rel_key(&self, r: &Option<protobuf::RangeVar>) -> String {
        range_var_key(&self.creation_schema, r)
    }

    /// Key of a qualified name given as a list of String nodes (`{schema, name}` or `{name}`).
    pub(crate) fn list_key(&self, list: &[protobuf::Node]) -> (String, String) {
        let parts = names::strings(list);
        match parts.as_slice() {
            [n] => (self.creation_schema.clone(), n.clone()),
            [.., s, n] => (s.clone(), n.clone()),
            [] => (self.creation_schema.clone(), String::new()),
        }
    }

    pub fn finish(mut self, _diagnostics: &mut Vec<Diagnostic>) -> Snapshot {
        self.clone_partition_triggers();
        self.complete_identity_sequences();
        self.materialise_default_acls();
        debug_assert!(self.snap.tables.is_empty() && self.snap.sequences.is_empty());
        self.snap.tables = into_ordered(std::mem::take(&mut self.tables));
        self.snap.sequences = into_ordered(std::mem::take(&mut self.sequences));
        self.complete_foreign_key_targets();
        self.snap
    }

    /// `REFERENCES t` without columns means t's primary key, as the server resolves it.
    fn complete_foreign_key_targets(&mut self) {
        let primary_keys: HashMap<String, Vec<String>> = self
            .snap
            .tables
            .iter()
            .filter_map(|(k, t)| {
                t.constraints.values().find(|c| c.kind == ConstraintKind::PrimaryKey).map(|c| (k.clone(), c.columns.clone()))
            })
            .collect();
        for t in self.snap.tables.values_mut() {
            for c in t.constraints.values_mut() {
                if let Some(fk) = c.foreign_key.as_mut().filter(|fk| fk.columns.is_empty()) {
                    if let Some(pk) = primary_keys.get(&fk.table) {
                        fk.columns = pk.clone();
                    }
                }
            }
        }
    }

    /// The server clones a partitioned table's row triggers onto every partition; the dump only
    /// has the parent's.
    fn clone_partition_triggers(&mut self) {
        let parents: Vec<(String, Trigger)> = self
            .snap
            .triggers
            .values()
            .filter(|t| t.for_each_row && self.tables.get(&t.table).is_some_and(|x| x.kind == TableKind::Partitioned))
            .map(|t| (t.table.clone(), t.clone()))
            .collect();
        for (table, trigger) in parents {
            for child in self.children(&table) {
                if self.tables.get(&child).is_some_and(|c| c.partition_of.is_some()) {
                    let k = key::member(&child, &trigger.name);
                    let on = |key: &str| {
                        let (s, n) = key.split_once('.').unwrap_or(("", key));
                        format!(" ON {} ", names::qualified_ident(s, n))
                    };
                    let definition = trigger.definition.replacen(&on(&table), &on(&child), 1);
                    self.snap.triggers.entry(k).or_insert_with(|| Trigger {
                        table: child.clone(),
                        cloned_from: Some(table.clone()),
                        definition,
                        ..trigger.clone()
                    });
                }
            }
        }
    }

    /// Identity sequences take their owner from the table and their type from the column; the
    /// dump states neither.
    fn complete_identity_sequences(&mut self) {
        for seq in self.sequences.values_mut().filter(|s| s.identity) {
            let Some((table, column)) = seq.owned_by.as_deref().and_then(|o| o.rsplit_once('.')) else {
                continue;
            };
            let Some(t) = self.tables.get(table) else {
                continue;
            };
            if seq.owner.is_none() {
                seq.owner = t.owner.clone();
            }
            if seq.data_type.is_none() {
                seq.data_type = t.columns.iter().find(|c| c.name == column).map(|c| c.data_type.clone());
            }
        }
    }
}

/// The hasher of the builder's own key maps: FxHash's word-at-a-time step with a murmur3
/// finaliser (so low bits, which pick the bucket, depend on every byte). SipHash's rounds cost
/// more than the lookup around them in the wasm build, where a large dump hashes index names
/// ten thousand times. The maps never leave the builder and are never iterated, so the order
/// the hash gives does not show anywhere.
pub(crate) type KeyHash = BuildHasherDefault<KeyHasher>;

#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("chunks of 8")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The builder's hashed map as the snapshot's ordered one, built in bulk. The keys' positions
/// are sorted rather than the entries: sorting moves what it sorts many times, and a table is
/// hundreds of bytes.
fn into_ordered<V>(map: HashMap<String, V, KeyHash>) -> std::collections::BTreeMap<String, V> {
    fn key<V>(e: &Option<(String, V)>) -> &str {
        e.as_ref().map(|(k, _)| k.as_str()).unwrap_or_default()
    }
    let mut entries: Vec<Option<(String, V)>> = map.into_iter().map(Some).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_unstable_by(|&a, &b| key(&entries[a]).cmp(key(&entries[b])));
    // Already in order, so BTreeMap's own sort only checks it.
    order.into_iter().map(|i| entries[i].take().expect("each position once")).collect()
}

/// [`Builder::rel_key`] for callers that hold part of the builder mutably.
pub(crate) fn range_var_key(creation_schema: &str, r: &Option<protobuf::RangeVar>) -> String {
    r.as_ref().map(|r| range_key(creation_schema, r)).unwrap_or_default()
}

pub(crate) fn range_key(creation_schema: &str, r: &protobuf::RangeVar) -> String {
    qualified_key(if r.schemaname.is_empty() { creation_schema } else { &r.schemaname }, &r.relname)
}

/// `key::qualified` without the formatting machinery, which costs more than the copy itself
/// (a key is built for nearly every statement).
pub(crate) fn qualified_key(schema: &str, name: &str) -> String {
    let mut k = String::with_capacity(schema.len() + 1 + name.len());
    k.push_str(schema);
    k.push('.');
    k.push_str(name);
    k
}

fn const_string(n: &protobuf::Node) -> Option<String> {
    match n.node.as_ref()? {
        N::AConst(c) => match c.val.as_ref()? {
            protobuf::a_const::Val::Sval(s) => Some(s.sval.clone()),
            _ => None,
        },
        N::String(s) => Some(s.sval.clone()),
        _ => None,
    }
}

fn set_config_search_path(s: &protobuf::SelectStmt) -> Option<Vec<String>> {
    let t = s.target_list.first()?;
    let N::ResTarget(r) = t.node.as_ref()? else {
        return None;
    };
    let N::FuncCall(f) = r.val.as_ref()?.node.as_ref()? else {
        return None;
    };
    if names::strings(&f.funcname).last().map(String::as_str) != Some("set_config") {
        return None;
    }
    if const_string(f.args.first()?)? != "search_path" {
        return None;
    }
    Some(vec![const_string(f.args.get(1)?)?])
}

/// A readable kind for an unmodelled statement: its leading keywords (`CREATE CAST`,
/// `ALTER TABLE`), taken from the text so it needs no table of node names.
fn statement_kind(text: &str) -> String {
    let mut words = Vec::new();
    for w in text.split_whitespace().take(4) {
        let upper = w.to_ascii_uppercase();
        if !w.chars().all(|c| c.is_ascii_alphabetic()) || !KIND_WORDS.contains(&upper.as_str()) {
            break;
        }
        words.push(upper);
    }
    if words.is_empty() {
        text.split_whitespace().next().unwrap_or("").to_ascii_uppercase()
    } else {
        words.join(" ")
    }
}

const KIND_WORDS: &[&str] = &[
    "CREATE",
    "ALTER",
    "DROP",
    "COMMENT",
    "GRANT",
    "REVOKE",
    "SET",
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "COPY",
    "OR",
    "REPLACE",
    "UNIQUE",
    "INDEX",
    "TABLE",
    "VIEW",
    "MATERIALIZED",
    "FUNCTION",
    "PROCEDURE",
    "AGGREGATE",
    "OPERATOR",
    "CLASS",
    "FAMILY",
    "CAST",
    "RULE",
    "TRIGGER",
    "EVENT",
    "TYPE",
    "DOMAIN",
    "SCHEMA",
    "SEQUENCE",
    "EXTENSION",
    "TEXT",
    "SEARCH",
    "CONFIGURATION",
    "DICTIONARY",
    "PARSER",
    "TEMPLATE",
    "COLLATION",
    "CONVERSION",
    "FOREIGN",
    "DATA",
    "WRAPPER",
    "SERVER",
    "USER",
    "MAPPING",
    "STATISTICS",
    "PUBLICATION",
    "SUBSCRIPTION",
    "ROLE",
    "POLICY",
    "LANGUAGE",
    "DEFAULT",
    "PRIVILEGES",
    "DATABASE",
    "BEGIN",
    "COMMIT",
    "DO",
    "CONSTRAINT",
    "ACCESS",
    "METHOD",
    "TRANSFORM",
    "LARGE",
    "OBJECT",
    "TABLESPACE",
    "UNLOGGED",
    "TEMPORARY",
    "TEMP",
    "RECURSIVE",
    "ONLY",
    "ANALYZE",
    "VACUUM",
    "CLUSTER",
    "REFRESH",
    "SECURITY",
    "LABEL",
    "IMPORT",
    "NOTIFY",
    "LISTEN",
    "RESET",
];

#[cfg(test)]
mod tests;
