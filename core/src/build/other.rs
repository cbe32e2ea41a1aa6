//! Views, sequences, types, extensions, publications, comments, owners and drops.

use super::names::{format_type, strings};
use super::relation::{def_arg, role_name};
use super::{canon, missing, not_modelled, Builder, Ctx, Outcome, Outcome::*};
use crate::model::*;
use pg_query::protobuf::{self, node::Node as N, ObjectType as O};

fn object_type(i: i32) -> O {
    O::try_from(i).unwrap_or(O::Undefined)
}

/// Output column names of a SELECT (aliases, or the last name of a column reference).
fn select_columns(q: &protobuf::Node) -> Vec<String> {
    let Some(N::SelectStmt(s)) = q.node.as_ref() else {
        return vec![];
    };
    // A UNION's columns are those of its leftmost branch.
    let mut s = s.as_ref();
    while s.target_list.is_empty() {
        match &s.larg {
            Some(l) => s = l.as_ref(),
            None => break,
        }
    }
    s.target_list
        .iter()
        .filter_map(|t| match t.node.as_ref()? {
            N::ResTarget(r) if !r.name.is_empty() => Some(r.name.clone()),
            N::ResTarget(r) => match r.val.as_ref()?.node.as_ref()? {
                N::ColumnRef(c) => c.fields.last().and_then(|f| match f.node.as_ref()? {
                    N::String(s) => Some(s.sval.clone()),
                    N::AStar(_) => Some("*".into()),
                    _ => None,
                }),
                N::FuncCall(f) => strings(&f.funcname).last().cloned(),
                _ => Some("?column?".into()),
            },
            _ => None,
        })
        .collect()
}

/// `supabase db dump` first defines views as `SELECT NULL::type AS col, ...` placeholders and
/// replaces them later; such a view has no FROM and only NULL targets.
fn is_placeholder(q: &protobuf::Node) -> bool {
    let Some(N::SelectStmt(s)) = q.node.as_ref() else {
        return false;
    };
    s.from_clause.is_empty()
        && !s.target_list.is_empty()
        && s.target_list.iter().all(|t| match t.node.as_ref() {
            Some(N::ResTarget(r)) => match r.val.as_ref().and_then(|v| v.node.as_ref()) {
                Some(N::AConst(c)) => c.isnull,
                Some(N::TypeCast(tc)) => matches!(tc.arg.as_ref().and_then(|a| a.node.as_ref()), Some(N::AConst(c)) if c.isnull),
                _ => false,
            },
            _ => false,
        })
}

/// A view's query as the statement wrote it: after the first top-level `AS`, without a trailing
/// `WITH [LOCAL | CASCADED] CHECK OPTION` or `WITH [NO] DATA`.
fn written_query(q: Expr, statement: &str) -> Expr {
    let Some(mut text) = super::source::rest_after(statement, 0, &["AS"]) else { return q };
    let upper = text.to_ascii_uppercase();
    for tail in ["WITH CASCADED CHECK OPTION", "WITH LOCAL CHECK OPTION", "WITH CHECK OPTION", "WITH NO DATA", "WITH DATA"] {
        if upper.ends_with(tail) {
            text.truncate(text.len() - tail.len());
            break;
        }
    }
    Expr { text: text.trim_end().to_string(), canonical: q.canonical }
}

fn options_of(list: &[protobuf::Node]) -> Vec<(String, String)> {
    list.iter()
        .filter_map(|n| match n.node.as_ref()? {
            N::DefElem(d) => Some((d.defname.clone(), d.arg.as_deref().and_then(def_arg).unwrap_or_else(|| "true".into()))),
            _ => None,
        })
        .collect()
}

/// `OWNED BY`'s name list (`schema, table, column` as `def_arg` joins it) as `schema.table.column`:
/// `v.replace(", ", ".")` without setting up a substring searcher for every sequence.
fn dotted(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(p) = rest.find(',') {
        if rest[p + 1..].starts_with(' ') {
            out.push_str(&rest[..p]);
            out.push('.');
            rest = &rest[p + 2..];
        } else {
            out.push_str(&rest[..=p]);
            rest = &rest[p + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn int_option(opts: &[(String, String)], name: &str) -> Option<i64> {
    opts.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.parse().ok())
}

impl Builder {
    /// Keys of the tables and views a query reads (unqualified names in the creation schema; the
    /// query's own CTE names left out), sorted.
    fn relations_read(&self, q: &protobuf::Node) -> Vec<String> {
        use pg_query::NodeRef;
        let Some(n) = q.node.as_ref() else {
            return vec![];
        };
        let nodes = n.nodes();
        let ctes: Vec<&str> = nodes
            .iter()
            .filter_map(|(n, ..)| match n {
                NodeRef::CommonTableExpr(c) => Some(c.ctename.as_str()),
                _ => None,
            })
            .collect();
        let mut out: Vec<String> = nodes
            .iter()
            .filter_map(|(n, ..)| match n {
                NodeRef::RangeVar(r) if !(r.schemaname.is_empty() && ctes.contains(&r.relname.as_str())) => {
                    Some(self.rel_key(&Some((*r).clone())))
                }
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub(crate) fn create_view(&mut self, s: &protobuf::ViewStmt, ctx: &Ctx) -> Outcome {
        let k = self.rel_key(&s.view);
        let Some(rel) = &s.view else {
            return not_modelled();
        };
        let Some(q) = s.query.as_deref() else {
            return not_modelled();
        };
        let mut columns = strings(&s.aliases);
        if columns.is_empty() {
            columns = select_columns(q);
        }
        let check_option = match protobuf::ViewCheckOption::try_from(s.with_check_option).unwrap_or(protobuf::ViewCheckOption::Undefined) {
            protobuf::ViewCheckOption::LocalCheckOption => Some("local".to_string()),
            protobuf::ViewCheckOption::CascadedCheckOption => Some("cascaded".to_string()),
            _ => None,
        };
        let mut v = View {
            schema: k.split_once('.').map(|x| x.0).unwrap_or_default().into(),
            name: rel.relname.clone(),
            materialized: false,
            columns,
            query: written_query(canon::query(q), ctx.text),
            options: options_of(&s.options),
            check_option,
            placeholder: is_placeholder(q),
            reads: self.relations_read(q),
            span: ctx.span,
            ..Default::default()
        };
        if let Some(old) = self.snap.views.get(&k) {
            v.owner = old.owner.clone();
            v.privileges = old.privileges.clone();
            v.comment = old.comment.clone();
        }
        self.snap.views.insert(k, v);
        Modelled
    }

    pub(crate) fn create_matview(&mut self, s: &protobuf::CreateTableAsStmt, ctx: &Ctx) -> Outcome {
        if object_type(s.objtype) != O::ObjectMatview {
            return Unmodelled("CREATE TABLE AS is not modelled".into());
        }
        let Some(into) = &s.into else {
            return not_modelled();
        };
        let k = self.rel_key(&into.rel);
        let Some(q) = s.query.as_deref() else {
            return not_modelled();
        };
        let mut columns = strings(&into.col_names);
        if columns.is_empty() {
            columns = select_columns(q);
        }
        let v = View {
            schema: k.split_once('.').map(|x| x.0).unwrap_or_default().into(),
            name: into.rel.as_ref().map(|r| r.relname.clone()).unwrap_or_default(),
            materialized: true,
            columns,
            query: written_query(canon::query(q), ctx.text),
            options: options_of(&into.options),
            reads: self.relations_read(q),
            span: ctx.span,
            ..Default::default()
        };
        self.snap.views.insert(k, v);
        Modelled
    }

    fn sequence_from_options(&self, schema: String, name: String, opts: &[(String, String)], span: Span) -> Sequence {
        Sequence {
            schema,
            name,
            data_type: opts.iter().find(|(k, _)| k == "as").map(|(_, v)| v.clone()),
            start: int_option(opts, "start"),
            increment: int_option(opts, "increment"),
            min_value: int_option(opts, "minvalue"),
            max_value: int_option(opts, "maxvalue"),
            cache: int_option(opts, "cache"),
            cycle: opts.iter().any(|(k, v)| k == "cycle" && v == "true"),
            owned_by: opts.iter().find(|(k, _)| k == "owned_by").map(|(_, v)| dotted(v)),
            span,
            ..Default::default()
        }
    }

    pub(crate) fn create_sequence(&mut self, s: &protobuf::CreateSeqStmt, ctx: &Ctx) -> Outcome {
        let k = self.rel_key(&s.sequence);
        if s.if_not_exists && self.sequences.contains_key(&k) {
            return Modelled;
        }
        let (schema, name) = k.split_once('.').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
        let seq = self.sequence_from_options(schema, name, &options_of(&s.options), ctx.span);
        self.sequences.insert(k, seq);
        Modelled
    }

    /// The sequence behind `ADD GENERATED ... AS IDENTITY (SEQUENCE NAME s ...)`.
    pub(crate) fn identity_sequence(&self, table: &str, column: &str, options: &[protobuf::Node], span: Span) -> Option<Sequence> {
        let opts = options_of(options);
        let (tschema, tname) = table.split_once('.')?;
        let (schema, name) = match opts.iter().find(|(k, _)| k == "sequence_name") {
            Some((_, v)) => match v.split_once(", ") {
                Some((s, n)) => (s.to_string(), n.to_string()),
                None => (tschema.to_string(), v.clone()),
            },
            None => (tschema.to_string(), format!("{tname}_{column}_seq")),
        };
        let mut seq = self.sequence_from_options(schema, name, &opts, span);
        seq.identity = true;
        Some(seq)
    }

    pub(crate) fn alter_sequence(&mut self, s: &protobuf::AlterSeqStmt) -> Outcome {
        let k = self.rel_key(&s.sequence);
        let opts = options_of(&s.options);
        let Some(seq) = self.sequences.get_mut(&k) else {
            return if s.missing_ok { Modelled } else { missing("sequence", &k) };
        };
        for (name, v) in opts {
            match name.as_str() {
                "owned_by" => seq.owned_by = (v != "none").then(|| dotted(&v)),
                "start" => seq.start = v.parse().ok(),
                "increment" => seq.increment = v.parse().ok(),
                "minvalue" => seq.min_value = v.parse().ok(),
                "maxvalue" => seq.max_value = v.parse().ok(),
                "cache" => seq.cache = v.parse().ok(),
                "cycle" => seq.cycle = v == "true",
                "as" => seq.data_type = Some(v),
                _ => {}
            }
        }
        Modelled
    }

    fn insert_type(&mut self, names: &[protobuf::Node], kind: TypeKind, span: Span) -> Outcome {
        let (schema, name) = self.list_key(names);
        let k = key::qualified(&schema, &name);
        self.snap.types.insert(k, TypeDef { schema, name, kind, owner: None, comment: None, privileges: vec![], span });
        Modelled
    }

    pub(crate) fn create_enum(&mut self, s: &protobuf::CreateEnumStmt, ctx: &Ctx) -> Outcome {
        self.insert_type(&s.type_name, TypeKind::Enum { labels: strings(&s.vals) }, ctx.span)
    }

    pub(crate) fn alter_enum(&mut self, s: &protobuf::AlterEnumStmt) -> Outcome {
        let (schema, name) = self.list_key(&s.type_name);
        let k = key::qualified(&schema, &name);
        let Some(TypeDef { kind: TypeKind::Enum { labels }, .. }) = self.snap.types.get_mut(&k) else {
            return missing("enum", &k);
        };
        if !s.old_val.is_empty() {
            if let Some(l) = labels.iter_mut().find(|l| **l == s.old_val) {
                *l = s.new_val.clone();
            }
        } else if !labels.contains(&s.new_val) {
            let at = labels.iter().position(|l| *l == s.new_val_neighbor).map(|p| if s.new_val_is_after { p + 1 } else { p });
            labels.insert(at.unwrap_or(labels.len()), s.new_val.clone());
        }
        Modelled
    }

    pub(crate) fn create_composite(&mut self, s: &protobuf::CompositeTypeStmt, ctx: &Ctx) -> Outcome {
        let Some(rel) = &s.typevar else {
            return not_modelled();
        };
        let attributes = s
            .coldeflist
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                N::ColumnDef(c) => Some((c.colname.clone(), c.type_name.as_ref().map(format_type).unwrap_or_default())),
                _ => None,
            })
            .collect();
        let schema = if rel.schemaname.is_empty() { self.creation_schema.clone() } else { rel.schemaname.clone() };
        let names = [schema, rel.relname.clone()].map(|s| protobuf::Node { node: Some(N::String(protobuf::String { sval: s })) });
        self.insert_type(&names, TypeKind::Composite { attributes }, ctx.span)
    }

    pub(crate) fn create_domain(&mut self, s: &protobuf::CreateDomainStmt, ctx: &Ctx) -> Outcome {
        let mut not_null = false;
        let mut default = None;
        let mut checks = Vec::new();
        for n in &s.constraints {
            let Some(N::Constraint(c)) = n.node.as_ref() else {
                continue;
            };
            match protobuf::ConstrType::try_from(c.contype).unwrap_or(protobuf::ConstrType::Undefined) {
                protobuf::ConstrType::ConstrNotnull => not_null = true,
                protobuf::ConstrType::ConstrDefault => default = canon::opt_expr(&c.raw_expr),
                protobuf::ConstrType::ConstrCheck => {
                    if let Some(e) = canon::opt_expr(&c.raw_expr) {
                        checks.push((c.conname.clone(), e));
                    }
                }
                _ => {}
            }
        }
        let base = s.type_name.as_ref().map(format_type).unwrap_or_default();
        self.insert_type(&s.domainname, TypeKind::Domain { base, not_null, default, checks }, ctx.span)
    }

    pub(crate) fn create_range(&mut self, s: &protobuf::CreateRangeStmt, ctx: &Ctx) -> Outcome {
        let subtype = options_of(&s.params).into_iter().find(|(k, _)| k == "subtype").map(|(_, v)| v).unwrap_or_default();
        self.insert_type(&s.type_name, TypeKind::Range { subtype }, ctx.span)
    }

    pub(crate) fn define(&mut self, s: &protobuf::DefineStmt, ctx: &Ctx) -> Outcome {
        match object_type(s.kind) {
            O::ObjectType => self.insert_type(&s.defnames, TypeKind::Base, ctx.span),
            O::ObjectAggregate => Unmodelled("aggregates are not modelled".into()),
            O::ObjectOperator => Unmodelled("operators are not modelled".into()),
            _ => not_modelled(),
        }
    }

    pub(crate) fn create_extension(&mut self, s: &protobuf::CreateExtensionStmt, ctx: &Ctx) -> Outcome {
        let opts = options_of(&s.options);
        let get = |k: &str| opts.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if s.if_not_exists && self.snap.extensions.contains_key(&s.extname) {
            return Modelled;
        }
        self.snap.extensions.insert(
            s.extname.clone(),
            Extension { name: s.extname.clone(), schema: get("schema"), version: get("new_version"), comment: None, span: ctx.span },
        );
        Modelled
    }

    pub(crate) fn create_publication(&mut self, s: &protobuf::CreatePublicationStmt, ctx: &Ctx) -> Outcome {
        let mut p = Publication {
            name: s.pubname.clone(),
            all_tables: s.for_all_tables,
            options: options_of(&s.options),
            span: ctx.span,
            ..Default::default()
        };
        self.add_publication_objects(&mut p, &s.pubobjects);
        self.snap.publications.insert(s.pubname.clone(), p);
        Modelled
    }

    fn add_publication_objects(&self, p: &mut Publication, objects: &[protobuf::Node]) {
        for n in objects {
            let Some(N::PublicationObjSpec(o)) = n.node.as_ref() else {
                continue;
            };
            if let Some(t) = &o.pubtable {
                let k = self.rel_key(&t.relation);
                if !p.tables.contains(&k) {
                    p.tables.push(k);
                }
            } else if !o.name.is_empty() {
                p.schemas.push(o.name.clone());
            }
        }
    }

    pub(crate) fn alter_publication(&mut self, s: &protobuf::AlterPublicationStmt) -> Outcome {
        let Some(mut p) = self.snap.publications.remove(&s.pubname) else {
            return missing("publication", &s.pubname);
        };
        match protobuf::AlterPublicationAction::try_from(s.action).unwrap_or(protobuf::AlterPublicationAction::Undefined) {
            protobuf::AlterPublicationAction::ApDropObjects => {
                let mut drop = Publication::default();
                self.add_publication_objects(&mut drop, &s.pubobjects);
                p.tables.retain(|t| !drop.tables.contains(t));
            }
            protobuf::AlterPublicationAction::ApSetObjects => {
                p.tables.clear();
                p.schemas.clear();
                self.add_publication_objects(&mut p, &s.pubobjects);
            }
            _ => self.add_publication_objects(&mut p, &s.pubobjects),
        }
        if !s.options.is_empty() {
            p.options = options_of(&s.options);
        }
        self.snap.publications.insert(s.pubname.clone(), p);
        Modelled
    }

    /// The comment slot of an object named by a COMMENT/OWNER/DROP statement.
    fn comment_slot(&mut self, objtype: O, object: &protobuf::Node) -> Result<&mut Option<String>, Outcome> {
        let list = |n: &protobuf::Node| -> Vec<protobuf::Node> {
            match n.node.as_ref() {
                Some(N::List(l)) => l.items.clone(),
                Some(N::TypeName(t)) => t.names.clone(),
                _ => vec![n.clone()],
            }
        };
        let parts = strings(&list(object));
        let obj_key = |b: &Builder, parts: &[String]| -> String {
            match parts {
                [n] => key::qualified(&b.creation_schema, n),
                [.., s, n] => key::qualified(s, n),
                [] => String::new(),
            }
        };
        match objtype {
            O::ObjectTable | O::ObjectForeignTable | O::ObjectView | O::ObjectMatview | O::ObjectSequence => {
                let k = obj_key(self, &parts);
                if let Some(t) = self.tables.get_mut(&k) {
                    return Ok(&mut t.comment);
                }
                if let Some(v) = self.snap.views.get_mut(&k) {
                    return Ok(&mut v.comment);
                }
                match self.sequences.get_mut(&k) {
                    Some(s) => Ok(&mut s.comment),
                    None => Err(missing("relation", &k)),
                }
            }
            O::ObjectColumn => {
                let (tparts, col) = parts.split_at(parts.len().saturating_sub(1));
                let k = obj_key(self, tparts);
                let col = col.first().cloned().unwrap_or_default();
                if let Some(t) = self.tables.get_mut(&k) {
                    return match t.columns.iter_mut().find(|c| c.name == col) {
                        Some(c) => Ok(&mut c.comment),
                        None => Err(missing("column", &format!("{k}.{col}"))),
                    };
                }
                Err(Unmodelled("comments on view columns are not modelled".into()))
            }
            O::ObjectIndex => {
                let k = obj_key(self, &parts);
                let Some(home) = self.index_home.get(&k).cloned() else {
                    return Err(missing("index", &k));
                };
                let name = parts.last().cloned().unwrap_or_default();
                if let Some(i) = self.tables.get_mut(&home).and_then(|t| t.indexes.get_mut(&name)) {
                    return Ok(&mut i.comment);
                }
                match self.snap.views.get_mut(&home).and_then(|t| t.indexes.get_mut(&name)) {
                    Some(i) => Ok(&mut i.comment),
                    None => Err(missing("index", &k)),
                }
            }
            O::ObjectTabconstraint | O::ObjectPolicy | O::ObjectTrigger => {
                let (tparts, name) = parts.split_at(parts.len().saturating_sub(1));
                let k = obj_key(self, tparts);
                let name = name.first().cloned().unwrap_or_default();
                if objtype == O::ObjectTrigger {
                    return match self.snap.triggers.get_mut(&key::member(&k, &name)) {
                        Some(t) => Ok(&mut t.comment),
                        None => Err(missing("trigger", &key::member(&k, &name))),
                    };
                }
                let Some(t) = self.tables.get_mut(&k) else {
                    return Err(missing("table", &k));
                };
                let slot = if objtype == O::ObjectPolicy {
                    t.policies.get_mut(&name).map(|p| &mut p.comment)
                } else {
                    t.constraints.get_mut(&name).map(|c| &mut c.comment)
                };
                slot.ok_or_else(|| missing("constraint or policy", &key::member(&k, &name)))
            }
            O::ObjectSchema => {
                let name = parts.first().cloned().unwrap_or_default();
                match self.snap.schemas.get_mut(&name) {
                    Some(s) => Ok(&mut s.comment),
                    None => Err(missing("schema", &name)),
                }
            }
            O::ObjectExtension => {
                let name = parts.first().cloned().unwrap_or_default();
                match self.snap.extensions.get_mut(&name) {
                    Some(s) => Ok(&mut s.comment),
                    None => Err(missing("extension", &name)),
                }
            }
            O::ObjectType | O::ObjectDomain => {
                let k = obj_key(self, &parts);
                match self.snap.types.get_mut(&k) {
                    Some(t) => Ok(&mut t.comment),
                    None => Err(missing("type", &k)),
                }
            }
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine => {
                let Some(N::ObjectWithArgs(o)) = object.node.as_ref() else {
                    return Err(not_modelled());
                };
                let Some(k) = self.routine_key(o) else {
                    return Err(missing("function", &strings(&o.objname).join(".")));
                };
                match self.snap.functions.get_mut(&k) {
                    Some(f) => Ok(&mut f.comment),
                    None => Err(missing("function", &k)),
                }
            }
            O::ObjectEventTrigger => {
                let name = parts.first().cloned().unwrap_or_default();
                match self.snap.event_triggers.get_mut(&name) {
                    Some(e) => Ok(&mut e.comment),
                    None => Err(missing("event trigger", &name)),
                }
            }
            O::ObjectPublication => {
                let name = parts.first().cloned().unwrap_or_default();
                match self.snap.publications.get_mut(&name) {
                    Some(e) => Ok(&mut e.comment),
                    None => Err(missing("publication", &name)),
                }
            }
            _ => Err(Unmodelled(format!("comments on {objtype:?} are not modelled"))),
        }
    }

    pub(crate) fn comment(&mut self, s: &protobuf::CommentStmt) -> Outcome {
        let Some(object) = s.object.as_deref() else {
            return not_modelled();
        };
        match self.comment_slot(object_type(s.objtype), object) {
            Ok(slot) => {
                *slot = (!s.comment.is_empty()).then(|| s.comment.clone());
                Modelled
            }
            Err(o) => o,
        }
    }

    pub(crate) fn alter_owner(&mut self, s: &protobuf::AlterOwnerStmt) -> Outcome {
        let owner = s.newowner.as_ref().map(role_name);
        let objtype = object_type(s.object_type);
        let Some(object) = s.object.as_deref() else {
            if s.relation.is_some() {
                let k = self.rel_key(&s.relation);
                self.set_relation_owner(&k, owner);
                return Modelled;
            }
            return not_modelled();
        };
        let name = strings(&match object.node.as_ref() {
            Some(N::List(l)) => l.items.clone(),
            _ => vec![object.clone()],
        });
        let first = name.first().cloned().unwrap_or_default();
        use super::acl::{rename_owner, AclObject};
        match objtype {
            O::ObjectSchema => match self.snap.schemas.get_mut(&first) {
                Some(x) => {
                    let old = std::mem::replace(&mut x.owner, owner.clone());
                    rename_owner(&mut x.privileges, AclObject::Schema, old.as_deref(), owner.as_deref());
                }
                None => return missing("schema", &first),
            },
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine => {
                let Some(N::ObjectWithArgs(o)) = object.node.as_ref() else {
                    return not_modelled();
                };
                let Some(k) = self.routine_key(o) else {
                    return missing("function", &strings(&o.objname).join("."));
                };
                let Some(f) = self.snap.functions.get_mut(&k) else {
                    return missing("function", &k);
                };
                let old = std::mem::replace(&mut f.owner, owner.clone());
                rename_owner(&mut f.privileges, AclObject::Function, old.as_deref(), owner.as_deref());
            }
            O::ObjectType | O::ObjectDomain => {
                let parts = match object.node.as_ref() {
                    Some(N::TypeName(t)) => t.names.clone(),
                    Some(N::List(l)) => l.items.clone(),
                    _ => vec![object.clone()],
                };
                let (schema, n) = self.list_key(&parts);
                let k = key::qualified(&schema, &n);
                let Some(t) = self.snap.types.get_mut(&k) else {
                    return missing("type", &k);
                };
                let old = std::mem::replace(&mut t.owner, owner.clone());
                rename_owner(&mut t.privileges, AclObject::Type, old.as_deref(), owner.as_deref());
            }
            O::ObjectEventTrigger => match self.snap.event_triggers.get_mut(&first) {
                Some(e) => e.owner = owner,
                None => return missing("event trigger", &first),
            },
            O::ObjectPublication => match self.snap.publications.get_mut(&first) {
                Some(e) => e.owner = owner,
                None => return missing("publication", &first),
            },
            other => return Unmodelled(format!("owners of {other:?} are not modelled")),
        }
        Modelled
    }

    pub(crate) fn drop(&mut self, s: &protobuf::DropStmt) -> Outcome {
        let objtype = object_type(s.remove_type);
        for obj in &s.objects {
            let parts = strings(&match obj.node.as_ref() {
                Some(N::List(l)) => l.items.clone(),
                Some(N::TypeName(t)) => t.names.clone(),
                _ => vec![obj.clone()],
            });
            let qualified = |b: &Builder, p: &[String]| match p {
                [n] => key::qualified(&b.creation_schema, n),
                [.., s, n] => key::qualified(s, n),
                [] => String::new(),
            };
            match objtype {
                O::ObjectTable | O::ObjectForeignTable => {
                    let k = qualified(self, &parts);
                    self.tables.remove(&k);
                    self.snap.triggers.retain(|_, t| t.table != k);
                }
                O::ObjectView | O::ObjectMatview => {
                    self.snap.views.remove(&qualified(self, &parts));
                }
                O::ObjectSequence => {
                    self.sequences.remove(&qualified(self, &parts));
                }
                O::ObjectIndex => {
                    let k = qualified(self, &parts);
                    if let Some(home) = self.index_home.remove(&k) {
                        let name = parts.last().cloned().unwrap_or_default();
                        if let Some(t) = self.tables.get_mut(&home) {
                            t.indexes.remove(&name);
                        }
                        if let Some(v) = self.snap.views.get_mut(&home) {
                            v.indexes.remove(&name);
                        }
                    }
                }
                O::ObjectType | O::ObjectDomain => {
                    self.snap.types.remove(&qualified(self, &parts));
                }
                O::ObjectSchema => {
                    self.snap.schemas.remove(parts.first().map(String::as_str).unwrap_or_default());
                }
                O::ObjectExtension => {
                    self.snap.extensions.remove(parts.first().map(String::as_str).unwrap_or_default());
                }
                O::ObjectPolicy | O::ObjectTrigger => {
                    let (tparts, name) = parts.split_at(parts.len().saturating_sub(1));
                    let k = qualified(self, tparts);
                    let name = name.first().cloned().unwrap_or_default();
                    if objtype == O::ObjectPolicy {
                        if let Some(t) = self.tables.get_mut(&k) {
                            t.policies.remove(&name);
                        }
                    } else {
                        self.snap.triggers.remove(&key::member(&k, &name));
                    }
                }
                O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine => {
                    if let Some(N::ObjectWithArgs(o)) = obj.node.as_ref() {
                        if let Some(k) = self.routine_key(o) {
                            self.snap.functions.remove(&k);
                        }
                    }
                }
                O::ObjectEventTrigger => {
                    self.snap.event_triggers.remove(parts.first().map(String::as_str).unwrap_or_default());
                }
                O::ObjectPublication => {
                    self.snap.publications.remove(parts.first().map(String::as_str).unwrap_or_default());
                }
                other => return Unmodelled(format!("DROP of {other:?} is not modelled")),
            }
        }
        Modelled
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dotted_is_replace_of_comma_space() {
        for v in ["", "a", "public, t, id", "a,b", "a, b,, c", ", ", "x,", "\"a, b\", c", "é, ü"] {
            assert_eq!(super::dotted(v), v.replace(", ", "."), "{v:?}");
        }
    }
}
