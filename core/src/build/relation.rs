//! Tables, columns, constraints, indexes, policies, partitions and `ALTER TABLE`.

use super::names::{format_type, quote_ident, strings};
use super::{canon, missing, not_modelled, range_key, range_var_key, source, Builder, Ctx, Outcome, Outcome::*};
use crate::model::*;
use pg_query::protobuf::{self, node::Node as N, AlterTableType as At, ConstrType as Ct};
use std::borrow::Cow;

use super::format;

/// PostgreSQL's identifier limit (NAMEDATALEN - 1).
const MAX_IDENT: usize = 63;

/// `makeObjectName`: `name1_name2_label`, truncating the longer part so the whole fits 63 bytes.
fn object_name(name1: &str, name2: &str, label: &str) -> String {
    let mut a = name1.to_string();
    let mut b = name2.to_string();
    let overhead = label.len() + 1 + if b.is_empty() { 0 } else { 1 };
    while a.len() + b.len() + overhead > MAX_IDENT {
        let t = if a.len() > b.len() { &mut a } else { &mut b };
        let mut cut = t.len() - 1;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        t.truncate(cut);
    }
    if b.is_empty() {
        format!("{a}_{label}")
    } else {
        format!("{a}_{b}_{label}")
    }
}

fn contype(c: &protobuf::Constraint) -> Ct {
    Ct::try_from(c.contype).unwrap_or(Ct::Undefined)
}

fn fk_action(code: &str) -> String {
    if code.is_empty() {
        "a".into()
    } else {
        code.into()
    }
}

/// `serial`, `bigserial`, `smallserial` are not types: the server makes the column an integer
/// with a default from a sequence it creates and ties to the column. pg_dump never writes them;
/// hand-written DDL does, and a diff against a dump must see the same column.
fn expand_serial(schema: &str, table: &str, col: &mut Column, span: Span) -> Option<Sequence> {
    let base = match col.data_type.as_str() {
        "serial" | "serial4" => "integer",
        "bigserial" | "serial8" => "bigint",
        "smallserial" | "serial2" => "smallint",
        _ => return None,
    };
    let name = object_name(table, &col.name, "seq");
    col.data_type = base.into();
    col.not_null = true;
    let regclass = super::names::qualified_ident(schema, &name).replace('\'', "''");
    let text = format!("nextval('{regclass}'::regclass)");
    col.default = Some(Expr { text: text.clone(), canonical: text });
    Some(Sequence {
        schema: schema.to_string(),
        name,
        data_type: (base != "bigint").then(|| base.to_string()),
        start: Some(1),
        increment: Some(1),
        cache: Some(1),
        owned_by: Some(format!("{schema}.{table}.{}", col.name)),
        span,
        ..Default::default()
    })
}

fn push_cols_list(out: &mut String, cols: &[String]) {
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        format::push_ident(out, c);
    }
}

impl Builder {
    pub(crate) fn create_schema(&mut self, s: &protobuf::CreateSchemaStmt, ctx: &Ctx) -> Outcome {
        let owner = s.authrole.as_ref().map(|r| r.rolename.clone()).filter(|r| !r.is_empty());
        let name = s.schemaname.clone();
        if s.if_not_exists && self.snap.schemas.contains_key(&name) {
            return Modelled;
        }
        self.snap.schemas.insert(name.clone(), Schema { name, owner, comment: None, privileges: vec![], span: ctx.span });
        Modelled
    }

    pub(crate) fn create_table(&mut self, s: &protobuf::CreateStmt, ctx: &Ctx, kind: TableKind) -> Outcome {
        let Some(rel) = &s.relation else {
            return not_modelled();
        };
        let key = self.rel_key(&s.relation);
        if s.if_not_exists && self.tables.contains_key(&key) {
            return Modelled;
        }
        let schema = key.split_once('.').map(|x| x.0).unwrap_or_default().to_string();
        let mut t = Table {
            schema,
            name: rel.relname.clone(),
            kind: if s.partspec.is_some() { TableKind::Partitioned } else { kind },
            unlogged: rel.relpersistence == "u",
            // The owner comes from `ALTER ... OWNER TO`, as in the catalog, not from the header.
            span: ctx.span,
            ..Default::default()
        };
        if let Some(spec) = &s.partspec {
            t.partition_by = format::partition_by(spec).or_else(|| deparse_partition_by(spec));
        }
        let parents: Vec<String> = s
            .inh_relations
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                N::RangeVar(r) => Some(range_key(&self.creation_schema, r)),
                _ => None,
            })
            .collect();
        // Inherited columns come first, in the parents' order, as the server lays them out.
        for p in &parents {
            if let Some(parent) = self.tables.get(p) {
                for c in &parent.columns {
                    if !t.columns.iter().any(|x| x.name == c.name) {
                        t.columns.push(Column { inherited: true, privileges: vec![], comment: None, ..c.clone() });
                    }
                }
            }
        }
        self.parent_keys.extend(parents.iter().cloned());
        if let Some(bound) = &s.partbound {
            let parent = parents.first().cloned().unwrap_or_default();
            t.partition_of = Some(PartitionOf { parent: parent.clone(), bound: partition_bound(bound) });
        } else {
            t.inherits = parents.clone();
        }
        t.options = s.options.iter().filter_map(def_elem_text).collect();
        // Column constraints are completed with their column; table constraints are used as
        // they are (a dump writes thousands of CHECKs, cloning each cost more than applying it).
        let mut table_constraints: Vec<(Cow<protobuf::Constraint>, Option<String>)> = Vec::new();
        let mut serials: Vec<Sequence> = Vec::new();
        // Sized once: growing a Vec of columns one doubling at a time copies them each time.
        t.columns.reserve(s.table_elts.len());
        for elt in &s.table_elts {
            match elt.node.as_ref() {
                Some(N::ColumnDef(cd)) => {
                    let existing = t.columns.iter().position(|c| c.name == cd.colname);
                    let mut col = match existing {
                        Some(i) => t.columns[i].clone(),
                        None => Column { name: cd.colname.clone(), ..Default::default() },
                    };
                    if let Some(tn) = &cd.type_name {
                        col.data_type = format_type(tn);
                        serials.extend(expand_serial(&t.schema, &t.name, &mut col, ctx.span));
                    }
                    if existing.is_some() && cd.type_name.is_some() {
                        col.inherited = false;
                    }
                    col.not_null |= cd.is_not_null;
                    if let Some(d) = &cd.raw_default {
                        col.default = Some(canon::expr(d));
                    }
                    if let Some(cc) = &cd.coll_clause {
                        col.collation = Some(strings(&cc.collname).join("."));
                    }
                    for cn in &cd.constraints {
                        let Some(N::Constraint(c)) = cn.node.as_ref() else {
                            continue;
                        };
                        match contype(c) {
                            Ct::ConstrNotnull => col.not_null = true,
                            Ct::ConstrNull => col.not_null = false,
                            Ct::ConstrDefault => col.default = canon::opt_expr(&c.raw_expr),
                            Ct::ConstrIdentity => {
                                col.identity = Some(if c.generated_when == "a" { Identity::Always } else { Identity::ByDefault });
                                col.not_null = true;
                            }
                            Ct::ConstrGenerated => col.generated = canon::opt_expr(&c.raw_expr),
                            Ct::ConstrPrimary | Ct::ConstrUnique | Ct::ConstrCheck | Ct::ConstrForeign | Ct::ConstrExclusion => {
                                let mut c = (**c).clone();
                                if c.keys.is_empty() && matches!(contype(&c), Ct::ConstrPrimary | Ct::ConstrUnique) {
                                    c.keys = vec![string_node(&cd.colname)];
                                }
                                if c.fk_attrs.is_empty() && contype(&c) == Ct::ConstrForeign {
                                    c.fk_attrs = vec![string_node(&cd.colname)];
                                }
                                table_constraints.push((Cow::Owned(c), Some(cd.colname.clone())));
                            }
                            // `REFERENCES t DEFERRABLE INITIALLY DEFERRED` on a column: the
                            // attributes arrive as nodes of their own after the constraint.
                            Ct::ConstrAttrDeferrable | Ct::ConstrAttrNotDeferrable | Ct::ConstrAttrDeferred | Ct::ConstrAttrImmediate => {
                                if let Some((last, Some(owner))) = table_constraints.last_mut() {
                                    if owner == &cd.colname {
                                        let last = last.to_mut();
                                        match contype(c) {
                                            Ct::ConstrAttrDeferrable => last.deferrable = true,
                                            Ct::ConstrAttrNotDeferrable => last.deferrable = false,
                                            Ct::ConstrAttrDeferred => last.initdeferred = true,
                                            _ => last.initdeferred = false,
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    match existing {
                        Some(i) => t.columns[i] = col,
                        None => t.columns.push(col),
                    }
                }
                Some(N::Constraint(c)) => table_constraints.push((Cow::Borrowed(&**c), None)),
                _ => {}
            }
        }
        // CHECK constraints of parents are inherited by name.
        for p in &parents {
            if let Some(parent) = self.tables.get(p) {
                for (name, c) in &parent.constraints {
                    if (c.kind == ConstraintKind::Check && !c.no_inherit)
                        || (t.partition_of.is_some() && c.kind == ConstraintKind::ForeignKey)
                    {
                        t.constraints.entry(name.clone()).or_insert_with(|| Constraint { inherited_from: Some(p.clone()), ..c.clone() });
                    }
                }
            }
        }
        // The server drops an index constraint that repeats an earlier one (`a int PRIMARY KEY
        // UNIQUE` makes only the primary key).
        let mut seen: Vec<(Vec<String>, Vec<String>, bool)> = Vec::new();
        table_constraints.retain(|(c, col)| {
            if !matches!(contype(c), Ct::ConstrPrimary | Ct::ConstrUnique) || !c.indexname.is_empty() {
                return true;
            }
            let keys = if c.keys.is_empty() { col.iter().cloned().collect() } else { strings(&c.keys) };
            let sig = (keys, strings(&c.including), c.nulls_not_distinct);
            if seen.contains(&sig) {
                return false;
            }
            seen.push(sig);
            true
        });
        self.tables.insert(key.clone(), t);
        for seq in serials {
            self.sequences.insert(super::qualified_key(&seq.schema, &seq.name), seq);
        }
        // (add_constraint also marks a primary key's columns NOT NULL.)
        for (c, col) in table_constraints {
            self.add_constraint(&key, &c, col.as_deref(), ctx, false);
        }
        Modelled
    }

    /// Adds a table constraint (and, for keys, the index backing it). `recurse` applies it to
    /// partitions and inheritance children too, as `ALTER TABLE` without `ONLY` does.
    pub(crate) fn add_constraint(
        &mut self,
        table: &str,
        c: &protobuf::Constraint,
        column: Option<&str>,
        ctx: &Ctx,
        recurse: bool,
    ) -> Outcome {
        let (span, source_text) = (ctx.span, Some(ctx.text));
        // The table is looked up once: map keys compare byte by byte, and most of a dump's
        // statements come through here.
        let creation_schema = &self.creation_schema;
        let Some(t) = self.tables.get_mut(table) else {
            return missing("table", table);
        };
        // `ADD CONSTRAINT c PRIMARY KEY USING INDEX i`: the index becomes the constraint's (renamed
        // to it), and the constraint reads as if its columns had been written.
        let adopted;
        let c = match t.indexes.get(&c.indexname) {
            Some(ix) if !c.indexname.is_empty() && c.keys.is_empty() => {
                let mut owned = c.clone();
                owned.keys = ix.keys.iter().filter_map(|k| k.column.as_deref()).map(string_node).collect();
                owned.indexname.clear();
                let schema = table.split_once('.').map(|x| x.0).unwrap_or_default();
                self.index_home.remove(&super::qualified_key(schema, &c.indexname));
                t.indexes.remove(&c.indexname);
                adopted = owned;
                &adopted
            }
            _ => c,
        };
        let kind = match contype(c) {
            Ct::ConstrPrimary => ConstraintKind::PrimaryKey,
            Ct::ConstrUnique => ConstraintKind::Unique,
            Ct::ConstrCheck => ConstraintKind::Check,
            Ct::ConstrForeign => ConstraintKind::ForeignKey,
            Ct::ConstrExclusion => ConstraintKind::Exclude,
            Ct::ConstrNotnull => ConstraintKind::NotNull,
            _ => return not_modelled(),
        };
        let columns: Vec<String> = match kind {
            ConstraintKind::ForeignKey => strings(&c.fk_attrs),
            ConstraintKind::Exclude => c
                .exclusions
                .iter()
                .filter_map(|n| match n.node.as_ref()? {
                    N::List(l) => match l.items.first()?.node.as_ref()? {
                        N::IndexElem(e) => Some(e.name.clone()).filter(|n| !n.is_empty()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => strings(&c.keys),
        };
        let name = if !c.conname.is_empty() {
            c.conname.clone()
        } else {
            let cols = column.map(str::to_string).unwrap_or_else(|| columns.first().cloned().unwrap_or_default());
            match kind {
                ConstraintKind::PrimaryKey => object_name(&t.name, "", "pkey"),
                ConstraintKind::Unique => object_name(&t.name, &columns.join("_"), "key"),
                ConstraintKind::ForeignKey => object_name(&t.name, &columns.join("_"), "fkey"),
                ConstraintKind::Exclude => object_name(&t.name, &cols, "excl"),
                ConstraintKind::Check => object_name(&t.name, &cols, "check"),
                ConstraintKind::NotNull => object_name(&t.name, &cols, "not_null"),
            }
        };
        let check = (kind == ConstraintKind::Check).then(|| c.raw_expr.as_deref().and_then(canon::expr_text));
        let definition =
            format::constraint(c, check.as_ref().and_then(|t| t.as_deref()), false).unwrap_or_else(|| deparse_constraint_definition(c));
        let foreign_key = (kind == ConstraintKind::ForeignKey).then(|| ForeignKey {
            table: range_var_key(creation_schema, &c.pktable),
            columns: strings(&c.pk_attrs),
            on_delete: fk_action(&c.fk_del_action),
            on_update: fk_action(&c.fk_upd_action),
            match_full: c.fk_matchtype == "f",
        });
        let schema = table.split_once('.').map(|x| x.0).unwrap_or_default();
        if matches!(kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclude) {
            let index_name = if c.indexname.is_empty() { name.clone() } else { c.indexname.clone() };
            let keys: Vec<IndexKey> = if kind == ConstraintKind::Exclude {
                c.exclusions
                    .iter()
                    .filter_map(|n| match n.node.as_ref()? {
                        N::List(l) => match l.items.first()?.node.as_ref()? {
                            N::IndexElem(e) => Some(index_key(e)),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect()
            } else {
                columns.iter().map(|c| IndexKey { column: Some(c.clone()), ..Default::default() }).collect()
            };
            let method =
                if kind == ConstraintKind::Exclude && !c.access_method.is_empty() { c.access_method.clone() } else { "btree".into() };
            let include = strings(&c.including);
            let only = !recurse && t.kind == TableKind::Partitioned;
            let mut definition = String::with_capacity(64 + table.len() + index_name.len());
            definition.push_str(if kind == ConstraintKind::Exclude { "CREATE INDEX " } else { "CREATE UNIQUE INDEX " });
            format::push_ident(&mut definition, &index_name);
            definition.push_str(if only { " ON ONLY " } else { " ON " });
            format::push_ident(&mut definition, schema);
            definition.push('.');
            format::push_ident(&mut definition, &t.name);
            definition.push_str(" USING ");
            definition.push_str(&method);
            definition.push_str(" (");
            if kind == ConstraintKind::Exclude {
                definition.push_str(&keys.iter().map(index_key_text).collect::<Vec<_>>().join(", "));
            } else {
                push_cols_list(&mut definition, &columns);
            }
            definition.push(')');
            if !include.is_empty() {
                definition.push_str(" INCLUDE (");
                push_cols_list(&mut definition, &include);
                definition.push(')');
            }
            if c.nulls_not_distinct {
                definition.push_str(" NULLS NOT DISTINCT");
            }
            let index = Index {
                name: index_name.clone(),
                table: table.to_string(),
                unique: kind != ConstraintKind::Exclude,
                definition,
                method,
                keys,
                include,
                predicate: canon::opt_expr(&c.where_clause),
                nulls_not_distinct: c.nulls_not_distinct,
                constraint: Some(name.clone()),
                only,
                attached_to: None,
                comment: None,
                span,
            };
            self.index_home.insert(super::qualified_key(schema, &index_name), table.to_string());
            t.indexes.insert(index_name, index);
        }
        if kind == ConstraintKind::PrimaryKey {
            for k in &columns {
                if let Some(col) = t.columns.iter_mut().find(|x| &x.name == k) {
                    col.not_null = true;
                }
            }
        }
        let constraint = Constraint {
            name: name.clone(),
            kind,
            columns,
            definition,
            check: canon::written(check.filter(|_| c.raw_expr.is_some()).map(canon::from_text), || {
                source_text.and_then(|t| source::parenthesised_after(t, ctx.offset(c.location), &["CHECK"]))
            }),
            foreign_key,
            deferrable: c.deferrable,
            initially_deferred: c.initdeferred,
            not_valid: c.skip_validation,
            no_inherit: c.is_no_inherit,
            inherited_from: None,
            comment: None,
            span,
        };
        let inheritable = matches!(kind, ConstraintKind::Check | ConstraintKind::ForeignKey) && !c.is_no_inherit;
        let for_children = (recurse && inheritable).then(|| constraint.clone());
        t.constraints.insert(name, constraint);
        if let Some(constraint) = for_children {
            for child in self.children(table) {
                if let Some(ct) = self.tables.get_mut(&child) {
                    ct.constraints
                        .entry(constraint.name.clone())
                        .or_insert_with(|| Constraint { inherited_from: Some(table.to_string()), ..constraint.clone() });
                }
            }
        }
        Modelled
    }

    /// Partitions and inheritance children, recursively, in no particular order: callers do the
    /// same to each child.
    pub(crate) fn children(&self, table: &str) -> Vec<String> {
        if !self.parent_keys.contains(table) {
            return Vec::new();
        }
        // One pass for the (few) tables that have a parent at all, then the walk over those:
        // the same tables as scanning every table for each parent.
        let with_parent: Vec<(&String, &Table)> =
            self.tables.iter().filter(|(_, t)| t.partition_of.is_some() || !t.inherits.is_empty()).collect();
        let mut out = Vec::new();
        if with_parent.is_empty() {
            return out;
        }
        let mut todo = vec![table.to_string()];
        while let Some(p) = todo.pop() {
            for (k, t) in &with_parent {
                if t.partition_of.as_ref().is_some_and(|x| x.parent == p) || t.inherits.contains(&p) {
                    out.push((*k).clone());
                    todo.push((*k).clone());
                }
            }
        }
        out
    }

    pub(crate) fn relation_exists(&self, key: &str) -> bool {
        self.tables.contains_key(key) || self.snap.views.contains_key(key) || self.sequences.contains_key(key)
    }

    pub(crate) fn alter_table(&mut self, s: &protobuf::AlterTableStmt, ctx: &Ctx) -> Outcome {
        let key = self.rel_key(&s.relation);
        let recurse = s.relation.as_ref().is_some_and(|r| r.inh);
        let objtype = protobuf::ObjectType::try_from(s.objtype).unwrap_or(protobuf::ObjectType::Undefined);
        if objtype == protobuf::ObjectType::ObjectIndex {
            return self.alter_index(s, &key);
        }
        if !self.relation_exists(&key) {
            return if s.missing_ok { Modelled } else { missing("relation", &key) };
        }
        let mut unmodelled = Vec::new();
        for cmd in &s.cmds {
            let Some(N::AlterTableCmd(cmd)) = cmd.node.as_ref() else {
                continue;
            };
            let sub = At::try_from(cmd.subtype).unwrap_or(At::Undefined);
            let outcome = self.alter_table_cmd(&key, sub, cmd, recurse, ctx);
            if let Unmodelled(r) = outcome {
                unmodelled.push(r);
            }
        }
        if unmodelled.is_empty() {
            Modelled
        } else {
            Unmodelled(unmodelled.join("; "))
        }
    }

    fn alter_table_cmd(&mut self, key: &str, sub: At, cmd: &protobuf::AlterTableCmd, recurse: bool, ctx: &Ctx) -> Outcome {
        // Owner changes apply to any relation kind.
        if sub == At::AtChangeOwner {
            let owner = cmd.newowner.as_ref().map(|r| r.rolename.clone());
            self.set_relation_owner(key, owner);
            return Modelled;
        }
        if let Some(v) = self.snap.views.get_mut(key) {
            return match sub {
                At::AtSetRelOptions | At::AtResetRelOptions => {
                    let opts = def_elems(&cmd.def);
                    if sub == At::AtSetRelOptions {
                        for (k, val) in opts {
                            v.options.retain(|(x, _)| x != &k);
                            v.options.push((k, val));
                        }
                    } else {
                        v.options.retain(|(x, _)| !opts.iter().any(|(k, _)| k == x));
                    }
                    Modelled
                }
                _ => Unmodelled(format!("ALTER {} on a view is not modelled", at_name(sub))),
            };
        }
        if self.sequences.contains_key(key) {
            return Unmodelled(format!("ALTER {} on a sequence is not modelled", at_name(sub)));
        }
        if sub == At::AtAddConstraint {
            // Before the table lookup below: add_constraint does its own.
            let Some(N::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                return not_modelled();
            };
            return self.add_constraint(key, c, None, ctx, recurse);
        }
        let column = cmd.name.as_str();
        let t = self.tables.get_mut(key).expect("relation_exists checked");
        let col = |t: &mut Table| -> Option<usize> { t.columns.iter().position(|c| c.name == column) };
        match sub {
            At::AtColumnDefault => {
                let Some(i) = col(t) else {
                    return missing("column", &format!("{key}.{column}"));
                };
                t.columns[i].default = cmd.def.as_deref().map(canon::expr);
            }
            At::AtSetNotNull | At::AtDropNotNull => {
                let Some(i) = col(t) else {
                    return missing("column", &format!("{key}.{column}"));
                };
                t.columns[i].not_null = sub == At::AtSetNotNull;
            }
            At::AtAddIdentity => {
                let Some(i) = col(t) else {
                    return missing("column", &format!("{key}.{column}"));
                };
                let Some(N::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                    return not_modelled();
                };
                t.columns[i].identity = Some(if c.generated_when == "a" { Identity::Always } else { Identity::ByDefault });
                t.columns[i].not_null = true;
                let owned_by = format!("{key}.{column}");
                let seq = self.identity_sequence(key, &column, &c.options, ctx.span);
                if let Some(mut seq) = seq {
                    seq.owned_by = Some(owned_by);
                    let k = key::qualified(&seq.schema, &seq.name);
                    self.sequences.insert(k, seq);
                }
            }
            At::AtSetIdentity | At::AtDropIdentity => {
                let Some(i) = col(t) else {
                    return missing("column", &format!("{key}.{column}"));
                };
                if sub == At::AtDropIdentity {
                    t.columns[i].identity = None;
                }
            }
            At::AtEnableRowSecurity => (t.rls_enabled, t.rls_span) = (true, Some(ctx.span)),
            At::AtDisableRowSecurity => (t.rls_enabled, t.rls_span) = (false, Some(ctx.span)),
            At::AtForceRowSecurity => (t.rls_forced, t.rls_span) = (true, Some(ctx.span)),
            At::AtNoForceRowSecurity => (t.rls_forced, t.rls_span) = (false, Some(ctx.span)),
            At::AtAddColumn => {
                let Some(N::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                    return not_modelled();
                };
                let mut c = Column { name: cd.colname.clone(), not_null: cd.is_not_null, ..Default::default() };
                if let Some(tn) = &cd.type_name {
                    c.data_type = format_type(tn);
                    if let Some(seq) = expand_serial(&t.schema, &t.name, &mut c, ctx.span) {
                        self.sequences.insert(super::qualified_key(&seq.schema, &seq.name), seq);
                    }
                }
                for cn in &cd.constraints {
                    if let Some(N::Constraint(k)) = cn.node.as_ref() {
                        match contype(k) {
                            Ct::ConstrNotnull => c.not_null = true,
                            Ct::ConstrDefault => c.default = canon::opt_expr(&k.raw_expr),
                            Ct::ConstrGenerated => c.generated = canon::opt_expr(&k.raw_expr),
                            Ct::ConstrIdentity => {
                                c.identity = Some(if k.generated_when == "a" { Identity::Always } else { Identity::ByDefault })
                            }
                            _ => {}
                        }
                    }
                }
                if !t.columns.iter().any(|x| x.name == c.name) {
                    t.columns.push(c);
                }
            }
            At::AtDropColumn => t.columns.retain(|c| c.name != column),
            At::AtDropConstraint => {
                t.constraints.remove(column);
                t.indexes.retain(|_, i| i.constraint.as_deref() != Some(column));
            }
            At::AtAlterColumnType => {
                let Some(i) = col(t) else {
                    return missing("column", &format!("{key}.{column}"));
                };
                if let Some(N::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    if let Some(tn) = &cd.type_name {
                        t.columns[i].data_type = format_type(tn);
                    }
                }
            }
            At::AtSetRelOptions => {
                for (k, v) in def_elems(&cmd.def) {
                    let text = format!("{k}={v}");
                    t.options.retain(|o| !o.starts_with(&format!("{k}=")));
                    t.options.push(text);
                }
            }
            At::AtAttachPartition => {
                let Some(N::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                    return not_modelled();
                };
                let child = self.rel_key(&pc.name);
                let bound = pc.bound.as_ref().map(partition_bound).unwrap_or_default();
                return self.attach_partition(key, &child, bound);
            }
            At::AtDetachPartition => {
                let Some(N::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                    return not_modelled();
                };
                let child = self.rel_key(&pc.name);
                if let Some(c) = self.tables.get_mut(&child) {
                    c.partition_of = None;
                }
            }
            At::AtAddInherit => {
                if let Some(N::RangeVar(r)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    let parent = range_key(&self.creation_schema, r);
                    self.parent_keys.insert(parent.clone());
                    let t = self.tables.get_mut(key).expect("exists");
                    if !t.inherits.contains(&parent) {
                        t.inherits.push(parent);
                    }
                }
            }
            At::AtEnableTrig | At::AtEnableAlwaysTrig | At::AtEnableReplicaTrig | At::AtDisableTrig => {
                let state = match sub {
                    At::AtEnableTrig => "O",
                    At::AtEnableAlwaysTrig => "A",
                    At::AtEnableReplicaTrig => "R",
                    _ => "D",
                };
                let tk = key::member(key, &cmd.name);
                let Some(tr) = self.snap.triggers.get_mut(&tk) else {
                    return missing("trigger", &tk);
                };
                tr.enabled = state.into();
            }
            At::AtReplicaIdentity => {
                if let Some(N::ReplicaIdentityStmt(r)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    t.replica_identity = Some(match r.identity_type.as_str() {
                        "f" => "full".to_string(),
                        "n" => "nothing".to_string(),
                        "i" => format!("index {}", r.name),
                        _ => "default".to_string(),
                    });
                }
            }
            other => return Unmodelled(format!("ALTER TABLE {} is not modelled", at_name(other))),
        }
        Modelled
    }

    fn attach_partition(&mut self, parent: &str, child: &str, bound: String) -> Outcome {
        let Some(p) = self.tables.get(parent) else {
            return missing("table", parent);
        };
        let inherited: Vec<Constraint> = p
            .constraints
            .values()
            .filter(|c| (c.kind == ConstraintKind::Check && !c.no_inherit) || c.kind == ConstraintKind::ForeignKey)
            .map(|c| Constraint { inherited_from: Some(parent.to_string()), ..c.clone() })
            .collect();
        let Some(c) = self.tables.get_mut(child) else {
            return missing("table", child);
        };
        c.partition_of = Some(PartitionOf { parent: parent.to_string(), bound });
        self.parent_keys.insert(parent.to_string());
        for k in inherited {
            c.constraints.entry(k.name.clone()).or_insert(k);
        }
        Modelled
    }

    fn alter_index(&mut self, s: &protobuf::AlterTableStmt, key: &str) -> Outcome {
        if !self.index_home.contains_key(key) {
            return missing("index", key);
        }
        let mut out = Modelled;
        for cmd in &s.cmds {
            let Some(N::AlterTableCmd(cmd)) = cmd.node.as_ref() else {
                continue;
            };
            match At::try_from(cmd.subtype).unwrap_or(At::Undefined) {
                At::AtAttachPartition => {
                    let Some(N::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
                        continue;
                    };
                    let child = self.rel_key(&pc.name);
                    let Some(child_home) = self.index_home.get(&child).cloned() else {
                        return missing("index", &child);
                    };
                    let child_name = child.split_once('.').map(|x| x.1).unwrap_or_default().to_string();
                    if let Some(i) = self.tables.get_mut(&child_home).and_then(|t| t.indexes.get_mut(&child_name)) {
                        i.attached_to = Some(key.to_string());
                    }
                }
                At::AtSetStatistics | At::AtSetRelOptions => out = Unmodelled("ALTER INDEX options are not modelled".into()),
                other => out = Unmodelled(format!("ALTER INDEX {} is not modelled", at_name(other))),
            }
        }
        out
    }

    pub(crate) fn set_relation_owner(&mut self, key: &str, owner: Option<String>) {
        if let Some(t) = self.tables.get_mut(key) {
            let old = std::mem::replace(&mut t.owner, owner.clone());
            super::acl::rename_owner(&mut t.privileges, super::acl::AclObject::Relation, old.as_deref(), owner.as_deref());
        } else if let Some(v) = self.snap.views.get_mut(key) {
            let old = std::mem::replace(&mut v.owner, owner.clone());
            super::acl::rename_owner(&mut v.privileges, super::acl::AclObject::Relation, old.as_deref(), owner.as_deref());
        } else if let Some(q) = self.sequences.get_mut(key) {
            let old = std::mem::replace(&mut q.owner, owner.clone());
            super::acl::rename_owner(&mut q.privileges, super::acl::AclObject::Sequence, old.as_deref(), owner.as_deref());
        }
    }

    pub(crate) fn create_index(&mut self, s: &protobuf::IndexStmt, ctx: &Ctx) -> Outcome {
        let table = self.rel_key(&s.relation);
        let schema = table.split_once('.').map(|x| x.0).unwrap_or_default();
        let name = if s.idxname.is_empty() {
            let first = s.index_params.iter().find_map(|n| match n.node.as_ref()? {
                N::IndexElem(e) if !e.name.is_empty() => Some(e.name.clone()),
                N::IndexElem(_) => Some("expr".to_string()),
                _ => None,
            });
            let t = table.split_once('.').map(|x| x.1).unwrap_or_default();
            object_name(t, &first.unwrap_or_default(), "idx")
        } else {
            s.idxname.clone()
        };
        let keys: Vec<IndexKey> = s
            .index_params
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                N::IndexElem(e) => Some(index_key(e)),
                _ => None,
            })
            .collect();
        let predicate = canon::written(canon::opt_expr(&s.where_clause), || source::rest_after(ctx.text, 0, &["WHERE"]));
        fn printed(e: &Option<Expr>) -> Option<&str> {
            e.as_ref().map(|x| x.canonical.as_str()).filter(|t| *t != canon::UNPRINTABLE_EXPR)
        }
        let definition = if keys.len() == s.index_params.len() {
            let exprs: Vec<Option<&str>> = keys.iter().map(|k| printed(&k.expression)).collect();
            format::index(s, &name, &exprs, printed(&predicate))
        } else {
            None
        };
        let definition = definition.unwrap_or_else(|| deparse_index_definition(s, &name));
        let index = Index {
            name: name.clone(),
            table: table.clone(),
            unique: s.unique,
            method: if s.access_method.is_empty() { "btree".into() } else { s.access_method.clone() },
            keys,
            include: s
                .index_including_params
                .iter()
                .filter_map(|n| match n.node.as_ref()? {
                    N::IndexElem(e) => Some(e.name.clone()),
                    _ => None,
                })
                .collect(),
            predicate,
            nulls_not_distinct: s.nulls_not_distinct,
            constraint: None,
            only: s.relation.as_ref().is_some_and(|r| !r.inh),
            attached_to: None,
            definition,
            comment: None,
            span: ctx.span,
        };
        let ikey = super::qualified_key(schema, &name);
        if let Some(t) = self.tables.get_mut(&table) {
            if s.if_not_exists && t.indexes.contains_key(&name) {
                return Modelled;
            }
            t.indexes.insert(name, index);
        } else if let Some(v) = self.snap.views.get_mut(&table) {
            v.indexes.insert(name, index);
        } else {
            return missing("table", &table);
        }
        self.index_home.insert(ikey, table);
        Modelled
    }

    pub(crate) fn create_policy(&mut self, s: &protobuf::CreatePolicyStmt, ctx: &Ctx) -> Outcome {
        let table = self.rel_key(&s.table);
        let mut roles = role_names(&s.roles);
        if roles.is_empty() {
            roles.push("public".into());
        }
        let policy = Policy {
            name: s.policy_name.clone(),
            table: table.clone(),
            permissive: s.permissive,
            command: match s.cmd_name.as_str() {
                "select" => PolicyCommand::Select,
                "insert" => PolicyCommand::Insert,
                "update" => PolicyCommand::Update,
                "delete" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            },
            roles,
            using: canon::written(canon::opt_expr(&s.qual), || source::parenthesised_after(ctx.text, 0, &["USING"])),
            with_check: canon::written(canon::opt_expr(&s.with_check), || source::parenthesised_after(ctx.text, 0, &["WITH", "CHECK"])),
            comment: None,
            span: ctx.span,
        };
        match self.tables.get_mut(&table) {
            Some(t) => {
                t.policies.insert(s.policy_name.clone(), policy);
            }
            // A policy on an extension's table (pg_cron's `cron.job`): the dump has the policy
            // but not the table. Kept, so that reconciliation and reviews still see it.
            None => {
                self.snap.external_policies.insert(key::member(&table, &s.policy_name), policy);
            }
        }
        Modelled
    }

    pub(crate) fn alter_policy(&mut self, s: &protobuf::AlterPolicyStmt, ctx: &Ctx) -> Outcome {
        let table = self.rel_key(&s.table);
        let external = self.snap.external_policies.get_mut(&key::member(&table, &s.policy_name));
        let Some(p) = self.tables.get_mut(&table).and_then(|t| t.policies.get_mut(&s.policy_name)).or(external) else {
            return missing("policy", &key::member(&table, &s.policy_name));
        };
        if !s.roles.is_empty() {
            p.roles = role_names(&s.roles);
        }
        if s.qual.is_some() {
            p.using = canon::written(canon::opt_expr(&s.qual), || source::parenthesised_after(ctx.text, 0, &["USING"]));
        }
        if s.with_check.is_some() {
            p.with_check = canon::written(canon::opt_expr(&s.with_check), || source::parenthesised_after(ctx.text, 0, &["WITH", "CHECK"]));
        }
        Modelled
    }
}

pub(crate) fn role_names(roles: &[protobuf::Node]) -> Vec<String> {
    let mut out: Vec<String> = roles
        .iter()
        .filter_map(|n| match n.node.as_ref()? {
            N::RoleSpec(r) => Some(role_name(r)),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(crate) fn role_name(r: &protobuf::RoleSpec) -> String {
    match protobuf::RoleSpecType::try_from(r.roletype).unwrap_or(protobuf::RoleSpecType::Undefined) {
        protobuf::RoleSpecType::RolespecPublic => "public".into(),
        protobuf::RoleSpecType::RolespecCurrentUser => "current_user".into(),
        protobuf::RoleSpecType::RolespecCurrentRole => "current_role".into(),
        protobuf::RoleSpecType::RolespecSessionUser => "session_user".into(),
        _ => r.rolename.clone(),
    }
}

fn index_key(e: &protobuf::IndexElem) -> IndexKey {
    IndexKey {
        column: (!e.name.is_empty()).then(|| e.name.clone()),
        expression: e.expr.as_deref().map(canon::expr),
        opclass: (!e.opclass.is_empty()).then(|| strings(&e.opclass).join(".")),
        collation: (!e.collation.is_empty()).then(|| strings(&e.collation).join(".")),
        descending: e.ordering == protobuf::SortByDir::SortbyDesc as i32,
        nulls_first: match protobuf::SortByNulls::try_from(e.nulls_ordering).unwrap_or(protobuf::SortByNulls::Undefined) {
            protobuf::SortByNulls::SortbyNullsFirst => Some(true),
            protobuf::SortByNulls::SortbyNullsLast => Some(false),
            _ => None,
        },
    }
}

fn index_key_text(k: &IndexKey) -> String {
    match (&k.column, &k.expression) {
        (Some(c), _) => quote_ident(c),
        (None, Some(e)) => format!("({})", e.canonical),
        _ => String::new(),
    }
}

fn bare_rel(name: &str) -> protobuf::RangeVar {
    protobuf::RangeVar { relname: name.into(), inh: true, relpersistence: "p".into(), ..Default::default() }
}

/// A `CREATE TABLE x` to wrap a clause for the deparser (every enum field set to a valid value:
/// libpg_query asserts on zero enums in debug builds).
fn synthetic_create() -> protobuf::CreateStmt {
    protobuf::CreateStmt { relation: Some(bare_rel("x")), oncommit: protobuf::OnCommitAction::OncommitNoop as i32, ..Default::default() }
}

fn string_node(s: &str) -> protobuf::Node {
    protobuf::Node { node: Some(N::String(protobuf::String { sval: s.to_string() })) }
}

/// The text after `PARTITION BY` through pg_query's deparser (the path `format::partition_by`
/// must agree with).
pub(crate) fn deparse_partition_by(spec: &protobuf::PartitionSpec) -> Option<String> {
    let synthetic = protobuf::CreateStmt { partspec: Some(spec.clone()), ..synthetic_create() };
    canon::statement(N::CreateStmt(synthetic)).and_then(|s| s.split_once("PARTITION BY ").map(|x| x.1.to_string()))
}

/// A `CREATE INDEX` definition through pg_query's deparser, named `name` (the path
/// `format::index` must agree with).
pub(crate) fn deparse_index_definition(s: &protobuf::IndexStmt, name: &str) -> String {
    canon::statement(N::IndexStmt(Box::new(protobuf::IndexStmt { idxname: name.to_string(), ..s.clone() }))).unwrap_or_default()
}

/// `pg_get_constraintdef`-style text from pg_query's deparse of `ALTER TABLE x ADD <constraint>`,
/// without the constraint's name (the path `format::constraint` must agree with).
pub(crate) fn deparse_constraint_definition(c: &protobuf::Constraint) -> String {
    let c = protobuf::Constraint { conname: String::new(), ..c.clone() };
    let cmd = protobuf::AlterTableCmd {
        subtype: At::AtAddConstraint as i32,
        def: Some(Box::new(protobuf::Node { node: Some(N::Constraint(Box::new(c))) })),
        behavior: protobuf::DropBehavior::DropRestrict as i32,
        ..Default::default()
    };
    let stmt = protobuf::AlterTableStmt {
        relation: Some(bare_rel("x")),
        cmds: vec![protobuf::Node { node: Some(N::AlterTableCmd(Box::new(cmd))) }],
        objtype: protobuf::ObjectType::ObjectTable as i32,
        missing_ok: false,
    };
    canon::after_prefix(N::AlterTableStmt(stmt), "ALTER TABLE x ADD ").unwrap_or_default()
}

fn partition_bound(b: &protobuf::PartitionBoundSpec) -> String {
    format::partition_bound(b).unwrap_or_else(|| deparse_partition_bound(b))
}

/// A partition bound through pg_query's deparser (the path `format::partition_bound` must agree
/// with).
pub(crate) fn deparse_partition_bound(b: &protobuf::PartitionBoundSpec) -> String {
    let stmt = protobuf::CreateStmt {
        inh_relations: vec![protobuf::Node { node: Some(N::RangeVar(bare_rel("p"))) }],
        partbound: Some(b.clone()),
        ..synthetic_create()
    };
    canon::after_prefix(N::CreateStmt(stmt), "CREATE TABLE x PARTITION OF p ").unwrap_or_default()
}

fn def_elem_text(n: &protobuf::Node) -> Option<String> {
    let N::DefElem(d) = n.node.as_ref()? else {
        return None;
    };
    Some(match d.arg.as_deref().and_then(def_arg) {
        Some(v) => format!("{}={v}", d.defname),
        None => d.defname.clone(),
    })
}

/// The value of a `DefElem` argument as text.
pub(crate) fn def_arg(n: &protobuf::Node) -> Option<String> {
    use protobuf::a_const::Val;
    Some(match n.node.as_ref()? {
        N::String(s) => s.sval.clone(),
        N::Integer(i) => i.ival.to_string(),
        N::Float(f) => f.fval.clone(),
        N::Boolean(b) => b.boolval.to_string(),
        N::TypeName(t) => format_type(t),
        N::List(l) => l.items.iter().filter_map(def_arg).collect::<Vec<_>>().join(", "),
        N::AConst(c) => match c.val.as_ref()? {
            Val::Sval(s) => s.sval.clone(),
            Val::Ival(i) => i.ival.to_string(),
            Val::Fval(f) => f.fval.clone(),
            Val::Boolval(b) => b.boolval.to_string(),
            Val::Bsval(b) => b.bsval.clone(),
        },
        _ => return None,
    })
}

pub(crate) fn def_elems(def: &Option<Box<protobuf::Node>>) -> Vec<(String, String)> {
    let Some(N::List(l)) = def.as_ref().and_then(|d| d.node.as_ref()) else {
        return vec![];
    };
    l.items
        .iter()
        .filter_map(|n| match n.node.as_ref()? {
            N::DefElem(d) => Some((d.defname.clone(), d.arg.as_deref().and_then(def_arg).unwrap_or_else(|| "true".into()))),
            _ => None,
        })
        .collect()
}

fn at_name(a: At) -> String {
    // `AtReplicaIdentity` → `REPLICA IDENTITY`
    let dbg = format!("{a:?}");
    let body = dbg.strip_prefix("At").unwrap_or(&dbg);
    let mut out = String::new();
    for (i, ch) in body.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}
