//! Summary counts of a snapshot: the `summary` object of `pglens inspect --format json`.

use crate::model::{ConstraintKind, Privilege, Snapshot};
use serde::{Deserialize, Serialize};

/// Integer counts per object kind. A public interface (docs/inspect-json.md): keys are only added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub schemas: u64,
    pub tables: u64,
    pub partitions: u64,
    pub columns: u64,
    pub constraints: u64,
    pub foreign_keys: u64,
    pub indexes: u64,
    pub policies: u64,
    pub rls_enabled_tables: u64,
    pub functions: u64,
    pub procedures: u64,
    pub triggers: u64,
    pub event_triggers: u64,
    pub views: u64,
    pub materialized_views: u64,
    pub sequences: u64,
    pub types: u64,
    pub extensions: u64,
    pub publications: u64,
    /// Privileges held by roles other than the owner, beyond PostgreSQL's defaults.
    pub grants: u64,
    pub default_privileges: u64,
    pub comments: u64,
    pub statements: u64,
    pub modelled_statements: u64,
    pub unmodelled_statements: u64,
    pub parse_errors: u64,
    pub meta_commands: u64,
    pub copy_rows_skipped: u64,
}

/// Privileges held by roles other than the owner, beyond PostgreSQL's defaults (PUBLIC's
/// EXECUTE on functions and USAGE on types are defaults, so they do not count).
fn granted(privs: &[Privilege], owner: Option<&str>, public_default: Option<&str>) -> u64 {
    privs
        .iter()
        .filter(|p| Some(p.grantee.as_str()) != owner && !(p.grantee == "PUBLIC" && Some(p.privilege.as_str()) == public_default))
        .count() as u64
}

impl Summary {
    pub fn of(s: &Snapshot) -> Summary {
        let n = |x: usize| x as u64;
        let mut sum = Summary {
            schemas: n(s.schemas.len()),
            tables: n(s.tables.len()),
            partitions: n(s.tables.values().filter(|t| t.partition_of.is_some()).count()),
            functions: n(s.functions.values().filter(|f| !f.is_procedure).count()),
            procedures: n(s.functions.values().filter(|f| f.is_procedure).count()),
            triggers: n(s.triggers.len()),
            event_triggers: n(s.event_triggers.len()),
            views: n(s.views.values().filter(|v| !v.materialized).count()),
            materialized_views: n(s.views.values().filter(|v| v.materialized).count()),
            sequences: n(s.sequences.len()),
            types: n(s.types.len()),
            extensions: n(s.extensions.len()),
            publications: n(s.publications.len()),
            default_privileges: n(s.default_privileges.len()),
            statements: s.stats.statements,
            modelled_statements: s.stats.modelled,
            unmodelled_statements: s.stats.unmodelled,
            parse_errors: s.stats.parse_errors,
            meta_commands: s.stats.meta_commands,
            copy_rows_skipped: s.stats.copy_rows,
            ..Summary::default()
        };
        let mut comments = 0u64;
        let mut grants = 0u64;
        for t in s.tables.values() {
            sum.columns += n(t.columns.len());
            sum.constraints += n(t.constraints.values().filter(|c| c.kind != ConstraintKind::NotNull).count());
            sum.foreign_keys += n(t.constraints.values().filter(|c| c.kind == ConstraintKind::ForeignKey).count());
            sum.indexes += n(t.indexes.len());
            sum.policies += n(t.policies.len());
            sum.rls_enabled_tables += t.rls_enabled as u64;
            grants += granted(&t.privileges, t.owner.as_deref(), None)
                + t.columns.iter().map(|c| granted(&c.privileges, t.owner.as_deref(), None)).sum::<u64>();
            comments += t.comment.is_some() as u64 + t.columns.iter().filter(|c| c.comment.is_some()).count() as u64;
            comments += t.constraints.values().filter(|c| c.comment.is_some()).count() as u64;
            comments += t.indexes.values().filter(|c| c.comment.is_some()).count() as u64;
            comments += t.policies.values().filter(|c| c.comment.is_some()).count() as u64;
        }
        for v in s.views.values() {
            sum.indexes += n(v.indexes.len());
            grants += granted(&v.privileges, v.owner.as_deref(), None);
            comments += v.comment.is_some() as u64;
        }
        grants += s.schemas.values().map(|x| granted(&x.privileges, x.owner.as_deref(), None)).sum::<u64>();
        grants += s.sequences.values().map(|x| granted(&x.privileges, x.owner.as_deref(), None)).sum::<u64>();
        grants += s.functions.values().map(|x| granted(&x.privileges, x.owner.as_deref(), Some("EXECUTE"))).sum::<u64>();
        grants += s.types.values().map(|x| granted(&x.privileges, x.owner.as_deref(), Some("USAGE"))).sum::<u64>();
        comments += s.schemas.values().filter(|x| x.comment.is_some()).count() as u64;
        comments += s.functions.values().filter(|x| x.comment.is_some()).count() as u64;
        comments += s.types.values().filter(|x| x.comment.is_some()).count() as u64;
        comments += s.sequences.values().filter(|x| x.comment.is_some()).count() as u64;
        comments += s.extensions.values().filter(|x| x.comment.is_some()).count() as u64;
        comments += s.triggers.values().filter(|x| x.comment.is_some()).count() as u64;
        sum.grants = grants;
        sum.comments = comments;
        sum
    }
}
