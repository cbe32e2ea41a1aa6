//! Facts about a policy's (canonical) expression that rules ask for: the columns it reads, the
//! functions it calls and whether each call sits inside a sub-select, the string constants it uses.
//!
//! The expression is parsed again with PostgreSQL's parser and walked generically (through the parse
//! tree's serde form, so every node kind is covered without a walker per kind). Results are cached per
//! text by [`super::Context::expr`].

use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExprFacts {
    /// Column references as written (`owner_id`, `t.owner_id`), outside sub-selects.
    pub columns: Vec<String>,
    /// Columns that are an operand of `=` (or `IN`) outside sub-selects: the ones an index helps.
    pub compared_columns: Vec<String>,
    /// Every function call, qualified as written (`auth.uid`, `now`), with whether it is inside a
    /// sub-select (`(SELECT auth.uid())` is evaluated once per statement, a bare call once per row).
    pub calls: Vec<(String, bool)>,
    /// String literals.
    pub strings: Vec<String>,
    /// Column references inside sub-selects, as written (`u.raw_user_meta_data`; a qualified one
    /// such as `t.org_id` in `EXISTS (SELECT ... WHERE m.org_id = t.org_id)` may be a correlated
    /// reference to the outer table).
    pub subselect_columns: Vec<String>,
    /// The expression is a constant `true`.
    pub always_true: bool,
}

impl ExprFacts {
    pub fn calls_any(&self, names: &[&str]) -> bool {
        self.calls.iter().any(|(n, _)| names.contains(&n.as_str()))
    }

    /// Bare (per-row) calls of any of `names`.
    pub fn bare_calls(&self, names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = self.calls.iter().filter(|(n, sub)| !sub && names.contains(&n.as_str())).map(|(n, _)| n.clone()).collect();
        v.dedup();
        v
    }

    /// Whether the expression reads `column` (bare or qualified by any table) outside sub-selects.
    pub fn reads(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column || c.rsplit('.').next() == Some(column))
    }

    /// Whether any column reference, in a sub-select or not, is named `column`.
    pub fn mentions_column(&self, column: &str) -> bool {
        self.columns.iter().chain(&self.subselect_columns).any(|c| c.rsplit('.').next() == Some(column))
    }
}

/// `None` when the text does not parse as one expression.
pub fn facts(text: &str) -> Option<ExprFacts> {
    tree(text).map(|v| facts_of_tree(&v, text))
}

/// The parse tree of one expression in its serde form; `None` when it does not parse.
pub fn tree(text: &str) -> Option<Value> {
    let node = crate::parse::parse_expression(text).ok()?;
    serde_json::to_value(&node).ok()
}

pub fn facts_of_tree(v: &Value, text: &str) -> ExprFacts {
    let mut f = ExprFacts { always_true: text.trim() == "true", ..Default::default() };
    walk(v, false, &mut f);
    f.columns.sort();
    f.columns.dedup();
    f.compared_columns.sort();
    f.compared_columns.dedup();
    f.subselect_columns.sort();
    f.subselect_columns.dedup();
    f
}

/// The strings of a parse-tree name list (`funcname`, `fields`, an operator's `name`).
pub(crate) fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| items.iter().filter_map(|i| i.pointer("/node/String/sval").and_then(Value::as_str)).map(str::to_string).collect())
        .unwrap_or_default()
}

fn column_ref(v: &Value) -> Option<String> {
    let parts = names(v.get("fields")?);
    (!parts.is_empty()).then(|| parts.join("."))
}

fn walk(v: &Value, in_sub: bool, f: &mut ExprFacts) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match k.as_str() {
                    "SubLink" => {
                        // `x IN (SELECT ...)`: x belongs to the outer expression, the query to the
                        // sub-select; a qualified column inside it may be a correlated outer column.
                        if let Some(test) = child.get("testexpr") {
                            walk(test, in_sub, f);
                        }
                        if let Some(q) = child.get("subselect") {
                            walk(q, true, f);
                        }
                        continue;
                    }
                    "FuncCall" => {
                        if let Some(n) = child.get("funcname") {
                            f.calls.push((names(n).join("."), in_sub));
                        }
                    }
                    "ColumnRef" => {
                        if let Some(c) = column_ref(child) {
                            if !in_sub {
                                f.columns.push(c);
                            } else {
                                f.subselect_columns.push(c);
                            }
                        }
                    }
                    "AExpr" if !in_sub => {
                        let op = child.get("name").map(names).unwrap_or_default();
                        if op.iter().any(|o| o == "=") || child.get("kind").and_then(Value::as_i64) == Some(in_kind()) {
                            for side in ["lexpr", "rexpr"] {
                                if let Some(c) = child.get(side).and_then(|s| s.pointer("/node/ColumnRef")).and_then(column_ref) {
                                    f.compared_columns.push(c);
                                }
                            }
                        }
                    }
                    // String literals only (`A_Const`'s `Sval`), not the names in name lists.
                    "Sval" => {
                        if let Some(s) = child.get("sval").and_then(Value::as_str) {
                            f.strings.push(s.to_string());
                        }
                    }
                    _ => {}
                }
                walk(child, in_sub, f);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk(i, in_sub, f)),
        _ => {}
    }
}

fn in_kind() -> i64 {
    pg_query::protobuf::AExprKind::AexprIn as i64
}

#[cfg(test)]
mod tests {
    use super::facts;

    #[test]
    fn calls_columns_and_sub_selects() {
        let f = facts("(auth.uid() = owner_id) AND (tenant_id = (SELECT auth.jwt() ->> 'tenant_id')::uuid)").unwrap();
        assert_eq!(f.calls, [("auth.uid".to_string(), false), ("auth.jwt".to_string(), true)]);
        assert_eq!(f.columns, ["owner_id", "tenant_id"]);
        assert_eq!(f.compared_columns, ["owner_id", "tenant_id"]);
        assert!(f.strings.contains(&"tenant_id".to_string()));
        assert_eq!(f.bare_calls(&["auth.uid", "auth.jwt"]), ["auth.uid"]);
        assert!(facts("true").unwrap().always_true);
        assert!(facts("a = = b").is_none());
        let f = facts("(auth.jwt() -> 'user_metadata' ->> 'role') = 'admin' AND t.org_id IN (1, 2)").unwrap();
        assert!(f.strings.contains(&"user_metadata".to_string()));
        assert!(f.reads("org_id") && f.compared_columns.contains(&"t.org_id".to_string()));
        assert!(!f.strings.contains(&"org_id".to_string()) && !f.strings.contains(&"auth".to_string()), "{:?}", f.strings);
        let f = facts("org_id IN (SELECT m.org_id FROM members m WHERE m.user_id = auth.uid()) OR EXISTS (SELECT 1 FROM teams x WHERE x.id = notes.team_id)").unwrap();
        assert!(f.reads("org_id"), "{f:?}");
        assert!(f.subselect_columns.contains(&"notes.team_id".to_string()), "{f:?}");
    }
}
