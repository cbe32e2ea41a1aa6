//! The snapshot model: what a schema dump says, as plain serde data.
//!
//! Invariants:
//! - No parser types appear here; everything is owned strings, numbers and collections, so the model
//!   crosses the worker boundary and the CLI's JSON output unchanged.
//! - Every object has a stable key (see [`keys`](crate::model::key)): `schema.name` for relations and
//!   types, `schema.name(argtypes)` for routines, `schema.table/name` for constraints, indexes,
//!   policies and triggers. Maps are `BTreeMap`s so serialisation order is deterministic.
//! - Expressions are stored as written (`text`) and canonical (`canonical`, pg_query's deparse), so
//!   equal meaning compares equal whatever the dump's parenthesisation or quoting.
//! - Every object carries the [`Span`] of the statement that created it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a statement sits in its input: file index into [`Snapshot::files`], 1-based line and
/// column (in characters) of its first character, and its byte range in the decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub file: u32,
    pub line: u32,
    pub column: u32,
    pub start: u32,
    pub end: u32,
}

/// An expression as written and in pg_query's canonical deparse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expr {
    /// The statement's own wording where the builder can find it (policy USING / WITH CHECK,
    /// CHECK constraints, index predicates, view queries); otherwise the canonical text.
    pub text: String,
    /// pg_query's deparse of the parsed expression: compare this one.
    pub canonical: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes as given. `None` only between [`crate::load_with_sources`] and
    /// [`crate::fingerprint`]: the worker shows the snapshot first and hashes after.
    pub sha256: Option<String>,
    pub encoding: String,
    pub lines: u32,
    /// What the file turned out to be (from its content, never its name).
    #[serde(default)]
    pub content: FileContent,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileContent {
    /// SQL: a pg_dump, a migration, any script.
    #[default]
    Sql,
    /// A `pg_policies` export (CSV, JSON or psql's table output).
    PolicyExport,
    /// Not text: refused.
    Binary,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub files: Vec<SourceFile>,
    pub schemas: BTreeMap<String, Schema>,
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    pub sequences: BTreeMap<String, Sequence>,
    pub functions: BTreeMap<String, Function>,
    pub types: BTreeMap<String, TypeDef>,
    pub extensions: BTreeMap<String, Extension>,
    pub triggers: BTreeMap<String, Trigger>,
    pub event_triggers: BTreeMap<String, EventTrigger>,
    pub publications: BTreeMap<String, Publication>,
    /// Default privileges, in dump order (later entries refine earlier ones).
    pub default_privileges: Vec<DefaultPrivilege>,
    /// Statements that were parsed but are not (yet) modelled: every statement is accounted for.
    pub unmodelled: Vec<Unmodelled>,
    /// Policies on tables the input does not define (an extension's table, such as pg_cron's
    /// `cron.job`), keyed `schema.table/name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_policies: BTreeMap<String, Policy>,
    /// Policies read from `pg_policies` exports, in file order (see `policies::reconcile`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_exports: Vec<ExportedPolicy>,
    pub stats: LoadStats,
}

/// Counters about the load itself, so the UI and CLI can say what was accounted for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadStats {
    pub statements: u64,
    pub modelled: u64,
    pub unmodelled: u64,
    pub parse_errors: u64,
    pub meta_commands: u64,
    pub copy_blocks: u64,
    pub copy_rows: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    #[default]
    Ordinary,
    Partitioned,
    Foreign,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub schema: String,
    pub name: String,
    pub kind: TableKind,
    pub unlogged: bool,
    pub owner: Option<String>,
    pub columns: Vec<Column>,
    pub constraints: BTreeMap<String, Constraint>,
    pub indexes: BTreeMap<String, Index>,
    pub policies: BTreeMap<String, Policy>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    /// The last `ALTER TABLE ... ENABLE / DISABLE / [NO] FORCE ROW LEVEL SECURITY`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rls_span: Option<Span>,
    /// `PARTITION BY` clause of a partitioned table, canonical.
    pub partition_by: Option<String>,
    /// Key of the parent when this table is a partition, with its bound (`FOR VALUES ...`).
    pub partition_of: Option<PartitionOf>,
    /// Keys of `INHERITS` parents (not partitions).
    pub inherits: Vec<String>,
    pub options: Vec<String>,
    /// `REPLICA IDENTITY` when set: `full`, `nothing`, `index <name>` (None = default).
    pub replica_identity: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: String,
    pub bound: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// Canonical type as PostgreSQL's `format_type` prints it (`integer`, `character varying(255)`).
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<Expr>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    /// Column-level privileges (`GRANT SELECT (col) ON t`).
    pub privileges: Vec<Privilege>,
    /// Inherited from a partition parent rather than declared here.
    pub inherited: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    ForeignKey,
    Unique,
    Check,
    Exclude,
    NotNull,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    pub columns: Vec<String>,
    /// Canonical definition in `pg_get_constraintdef` style (`PRIMARY KEY (id)`, `CHECK ((x > 0))`).
    pub definition: String,
    pub check: Option<Expr>,
    pub foreign_key: Option<ForeignKey>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub not_valid: bool,
    /// `NO INHERIT` CHECK: not copied to inheritance children.
    pub no_inherit: bool,
    /// Key of the table this constraint was copied from (inherited CHECK, cloned partition FK).
    pub inherited_from: Option<String>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Key of the referenced table.
    pub table: String,
    pub columns: Vec<String>,
    /// `a` no action, `r` restrict, `c` cascade, `n` set null, `d` set default (pg_constraint codes).
    pub on_delete: String,
    pub on_update: String,
    pub match_full: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexKey {
    /// A plain column, or `None` for an expression key.
    pub column: Option<String>,
    pub expression: Option<Expr>,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    pub descending: bool,
    /// `Some(true)` for NULLS FIRST, `Some(false)` for NULLS LAST, `None` when not written.
    pub nulls_first: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub unique: bool,
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    pub predicate: Option<Expr>,
    pub nulls_not_distinct: bool,
    /// Name of the constraint this index backs (PRIMARY KEY / UNIQUE / EXCLUDE).
    pub constraint: Option<String>,
    /// `CREATE INDEX ... ON ONLY parent` (an invalid parent index until partitions attach).
    pub only: bool,
    /// Key of the partitioned parent index this one is attached to.
    pub attached_to: Option<String>,
    /// Canonical `CREATE INDEX` text from pg_query's deparse.
    pub definition: String,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

/// A policy as a `pg_policies` export lists it, with its expressions parsed into the same
/// canonical form as the dump's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportedPolicy {
    /// Key of the table (`schema.name`), whether or not the snapshot has it.
    pub table: String,
    pub name: String,
    pub permissive: bool,
    pub command: PolicyCommand,
    /// Sorted, `public` for PUBLIC, as [`Policy::roles`].
    pub roles: Vec<String>,
    pub using: Option<Expr>,
    pub with_check: Option<Expr>,
    /// The row in the export (its first line).
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    pub table: String,
    pub permissive: bool,
    pub command: PolicyCommand,
    /// Role names as written (`public` for PUBLIC), sorted.
    pub roles: Vec<String>,
    pub using: Option<Expr>,
    pub with_check: Option<Expr>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    pub name: Option<String>,
    /// `in`, `out`, `inout`, `variadic`, `table`.
    pub mode: String,
    pub data_type: String,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub schema: String,
    pub name: String,
    pub is_procedure: bool,
    pub arguments: Vec<Argument>,
    /// Identity argument types, comma separated, as in the key.
    pub signature: String,
    pub returns: Option<String>,
    pub returns_set: bool,
    /// `ROWS n`: the planner's estimate of a set-returning function's rows, when the definition
    /// states it (pg_dump writes it only when it differs from the default, 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<f64>,
    pub language: String,
    /// `v`, `s` or `i` as in pg_proc.provolatile.
    pub volatility: String,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    /// `p` parallel-safe ... as pg_proc.proparallel: `u`, `r`, `s`.
    pub parallel: String,
    /// `SET name = value` options (`search_path`, ...), in the order written.
    pub config: Vec<(String, String)>,
    pub body: String,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    pub span: Span,
}

impl Function {
    /// The pinned `search_path`, when the function sets one.
    pub fn search_path(&self) -> Option<&str> {
        self.config.iter().find(|(k, _)| k == "search_path").map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    /// `BEFORE`, `AFTER`, `INSTEAD OF`.
    pub timing: String,
    /// `INSERT`, `UPDATE`, `UPDATE OF a, b`, `DELETE`, `TRUNCATE`.
    pub events: Vec<String>,
    pub for_each_row: bool,
    pub when: Option<Expr>,
    /// Key-less name of the function called (`schema.name`) and its arguments.
    pub function: String,
    pub arguments: Vec<String>,
    pub constraint: bool,
    /// `ENABLE`/`DISABLE`/`ENABLE REPLICA`/`ENABLE ALWAYS` as set by ALTER TABLE, default enabled.
    pub enabled: String,
    pub definition: String,
    /// Key of the partitioned table whose row trigger the server cloned onto this partition.
    pub cloned_from: Option<String>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub schema: String,
    pub name: String,
    pub materialized: bool,
    pub columns: Vec<String>,
    /// Canonical query (pg_query deparse of the SELECT).
    pub query: Expr,
    /// `WITH (...)` options such as `security_invoker=true`, `security_barrier`.
    pub options: Vec<(String, String)>,
    pub check_option: Option<String>,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    /// Index names on a materialized view live here (keys into `indexes`).
    pub indexes: BTreeMap<String, Index>,
    /// Keys of the tables and views the query reads (from its parse tree), sorted.
    #[serde(default)]
    pub reads: Vec<String>,
    /// `CREATE VIEW` defined only as a placeholder (`supabase db dump` writes `SELECT NULL AS col` first).
    pub placeholder: bool,
    pub span: Span,
}

impl View {
    pub fn security_invoker(&self) -> bool {
        self.options.iter().any(|(k, v)| k == "security_invoker" && matches!(v.as_str(), "true" | "on" | "1" | "yes"))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sequence {
    pub schema: String,
    pub name: String,
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
    /// `schema.table.column` from `OWNED BY` or identity.
    pub owned_by: Option<String>,
    /// The sequence backs an identity column.
    pub identity: bool,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    Enum { labels: Vec<String> },
    Composite { attributes: Vec<(String, String)> },
    Domain { base: String, not_null: bool, default: Option<Expr>, checks: Vec<(String, Expr)> },
    Range { subtype: String },
    Base,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    pub schema: String,
    pub name: String,
    #[serde(flatten)]
    pub kind: TypeKind,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub privileges: Vec<Privilege>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventTrigger {
    pub name: String,
    pub event: String,
    pub tags: Vec<String>,
    pub function: String,
    pub enabled: String,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub name: String,
    pub all_tables: bool,
    pub tables: Vec<String>,
    pub schemas: Vec<String>,
    pub options: Vec<(String, String)>,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub span: Span,
}

/// One privilege held by one grantee, as `aclexplode` would list it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Privilege {
    /// Role name, `PUBLIC` for the pseudo-role.
    pub grantee: String,
    /// `SELECT`, `INSERT`, ..., `EXECUTE`, `USAGE`, `CREATE`.
    pub privilege: String,
    pub grantable: bool,
    pub grantor: Option<String>,
    /// The statement that granted it (`GRANT`, or the `ALTER DEFAULT PRIVILEGES` applied when the
    /// object was created); `None` for the owner's and PUBLIC's built-in defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT|REVOKE ...`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefaultPrivilege {
    pub for_role: Option<String>,
    pub schema: Option<String>,
    /// `TABLES`, `SEQUENCES`, `FUNCTIONS`, `TYPES`, `SCHEMAS`.
    pub object_type: String,
    pub grant: bool,
    pub privileges: Vec<String>,
    pub grantees: Vec<String>,
    pub grantable: bool,
    pub span: Span,
}

/// The `-- Name: x; Type: T; Schema: s; Owner: o` comment pg_dump writes before each object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpHeader {
    pub name: String,
    pub kind: String,
    pub schema: Option<String>,
    pub owner: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unmodelled {
    /// The statement's node kind, e.g. `CreateCastStmt`, or `VariableSetStmt`.
    pub kind: String,
    /// Why it is not modelled: `not modelled`, `session setting`, or a reference that was not found.
    pub reason: String,
    pub text: String,
    /// pg_dump's `-- Name: …; Type: …` header before the statement, when there was one.
    pub header: Option<DumpHeader>,
    pub span: Span,
}

/// Key helpers: the one place that decides how objects are named.
pub mod key {
    pub fn qualified(schema: &str, name: &str) -> String {
        format!("{schema}.{name}")
    }
    pub fn member(table: &str, name: &str) -> String {
        format!("{table}/{name}")
    }
    pub fn routine(schema: &str, name: &str, signature: &str) -> String {
        format!("{schema}.{name}({signature})")
    }
}

impl Snapshot {
    pub fn table(&self, key: &str) -> Option<&Table> {
        self.tables.get(key)
    }
}
