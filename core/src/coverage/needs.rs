//! What the table needs indexes for: its foreign keys (`unindexed_foreign_keys`) and the
//! columns its RLS policies filter on (`rls_filter_column_unindexed`), judged by those rules'
//! own functions.

use super::{FkNeed, RlsNeed, Scope};
use crate::checks::rules::{rls_filter_column_unindexed as rls_rule, unindexed_foreign_keys as fk_rule};
use crate::checks::{Context, Finding};
use crate::model::Table;

pub(super) fn foreign_keys(t: &Table) -> (Vec<FkNeed>, Scope) {
    if let Some(p) = &t.partition_of {
        return (vec![], Scope::Parent { table: p.parent.clone() });
    }
    let needs = fk_rule::checked_keys(t)
        .map(|c| {
            let covered_by = fk_rule::leading_index(t, &c.columns).map(|i| i.name.clone());
            let fk = c.foreign_key.clone().unwrap_or_default();
            FkNeed {
                name: c.name.clone(),
                columns: c.columns.clone(),
                references: fk.table,
                referenced_columns: fk.columns,
                fix: covered_by.is_none().then(|| fk_rule::fix(t, &c.columns)),
                covered_by,
                span: c.span,
            }
        })
        .collect();
    (needs, Scope::Checked)
}

/// Why the RLS rule does not look at `t`, `None` when it does.
fn rls_skipped(t: &Table) -> Option<Scope> {
    if rls_rule::in_scope(t) {
        return None;
    }
    Some(match &t.partition_of {
        Some(p) => Scope::Parent { table: p.parent.clone() },
        None if !t.rls_enabled => Scope::RlsDisabled,
        None => Scope::Platform,
    })
}

pub(super) fn rls(cx: &Context, t: &Table) -> (Vec<RlsNeed>, Scope) {
    if let Some(s) = rls_skipped(t) {
        return (vec![], s);
    }
    let mut needs: Vec<RlsNeed> = rls_rule::filtered(cx, t)
        .into_iter()
        .map(|(col, policies)| {
            let covered_by = rls_rule::leads(t, col).map(|i| i.name.clone());
            RlsNeed {
                column: col.to_string(),
                policies: policies.iter().map(|p| p.name.clone()).collect(),
                fix: covered_by.is_none().then(|| rls_rule::fix(t, col)),
                covered_by,
            }
        })
        .collect();
    in_table_order(&mut needs, t);
    (needs, Scope::Checked)
}

/// The uncovered RLS filter columns of `t` (key `key`) that `findings` report.
pub(super) fn rls_from_findings(key: &str, t: &Table, findings: &[Finding]) -> (Vec<RlsNeed>, Scope) {
    if let Some(s) = rls_skipped(t) {
        return (vec![], s);
    }
    let id = rls_rule::RULE.id;
    let mut needs: Vec<RlsNeed> = findings
        .iter()
        .filter(|f| f.rule == id && f.object == key)
        .filter_map(|f| {
            // The finding's subject is the column; it is in the fingerprint, not in the finding.
            let column = t.columns.iter().find(|c| crate::checks::fingerprint(id, key, &c.name) == f.fingerprint)?;
            Some(RlsNeed {
                column: column.name.clone(),
                policies: rls_rule::policies_in_message(&f.message),
                covered_by: None,
                fix: f.fix.clone(),
            })
        })
        .collect();
    in_table_order(&mut needs, t);
    (needs, Scope::UncoveredOnly)
}

fn in_table_order(needs: &mut [RlsNeed], t: &Table) {
    needs.sort_by_key(|n| t.columns.iter().position(|c| c.name == n.column));
}
