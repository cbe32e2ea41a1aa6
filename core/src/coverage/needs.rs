//! What the table needs indexes for: its foreign keys (`unindexed_foreign_keys`) and the
//! columns its RLS policies filter on (`rls_filter_column_unindexed`), judged by those rules'
//! own functions.

use super::{FkNeed, RlsNeed, Scope};
use crate::checks::rules::{rls_filter_column_unindexed as rls_rule, unindexed_foreign_keys as fk_rule};
use crate::checks::Context;
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

/// The columns of `t` its policies filter on, with those policies' names; `None` when the rule
/// does not look at `t`.
pub(super) fn filtered(cx: &Context, t: &Table) -> Option<Vec<(String, Vec<String>)>> {
    rls_skipped(t).is_none().then(|| {
        rls_rule::filtered(cx, t)
            .into_iter()
            .map(|(col, policies)| (col.to_string(), policies.iter().map(|p| p.name.clone()).collect()))
            .collect()
    })
}

pub(super) fn rls(cx: &Context, t: &Table) -> (Vec<RlsNeed>, Scope) {
    rls_with(t, &filtered(cx, t).unwrap_or_default())
}

/// The RLS needs of `t` from its filtered columns (see [`filtered`]).
pub(super) fn rls_with(t: &Table, filtered: &[(String, Vec<String>)]) -> (Vec<RlsNeed>, Scope) {
    if let Some(s) = rls_skipped(t) {
        return (vec![], s);
    }
    let mut needs: Vec<RlsNeed> = filtered
        .iter()
        .map(|(col, policies)| {
            let covered_by = rls_rule::leads(t, col).map(|i| i.name.clone());
            RlsNeed {
                column: col.clone(),
                policies: policies.clone(),
                fix: covered_by.is_none().then(|| rls_rule::fix(t, col)),
                covered_by,
            }
        })
        .collect();
    in_table_order(&mut needs, t);
    (needs, Scope::Checked)
}

fn in_table_order(needs: &mut [RlsNeed], t: &Table) {
    needs.sort_by_key(|n| t.columns.iter().position(|c| c.name == n.column));
}
