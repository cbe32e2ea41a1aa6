//! Functions, procedures, triggers and event triggers.

use super::names::{format_type_no_typmod as format_type, strings};
use super::relation::def_arg;
use super::{canon, missing, not_modelled, Builder, Ctx, Outcome, Outcome::*};
use crate::model::*;
use pg_query::protobuf::{self, node::Node as N, FunctionParameterMode as M};

fn mode(p: &protobuf::FunctionParameter) -> M {
    M::try_from(p.mode).unwrap_or(M::FuncParamIn)
}

/// Identity argument types (IN, INOUT, VARIADIC), as in `pg_get_function_identity_arguments`
/// without names: the part of a routine's key between the parentheses.
pub(crate) fn signature_of(params: &[protobuf::Node]) -> String {
    params
        .iter()
        .filter_map(|n| match n.node.as_ref()? {
            N::FunctionParameter(p) if !matches!(mode(p), M::FuncParamOut | M::FuncParamTable) => p.arg_type.as_ref().map(format_type),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Signature of `ObjectWithArgs` (GRANT/COMMENT/ALTER FUNCTION targets).
pub(crate) fn owa_signature(o: &protobuf::ObjectWithArgs) -> Option<String> {
    if o.args_unspecified {
        return None;
    }
    if !o.objfuncargs.is_empty() {
        return Some(signature_of(&o.objfuncargs));
    }
    Some(
        o.objargs
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                N::TypeName(t) => Some(format_type(t)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

impl Builder {
    /// Key of a routine named by `ObjectWithArgs`; with no argument list, the only routine of
    /// that name (as PostgreSQL accepts `ALTER FUNCTION f OWNER TO` when `f` is unambiguous).
    pub(crate) fn routine_key(&self, o: &protobuf::ObjectWithArgs) -> Option<String> {
        let (schema, name) = self.list_key(&o.objname);
        match owa_signature(o) {
            Some(sig) => Some(key::routine(&schema, &name, &sig)),
            None => {
                let prefix = format!("{}(", key::qualified(&schema, &name));
                let mut found = self.snap.functions.keys().filter(|k| k.starts_with(&prefix));
                let first = found.next().cloned();
                if found.next().is_some() {
                    None
                } else {
                    first
                }
            }
        }
    }

    pub(crate) fn create_function(&mut self, s: &protobuf::CreateFunctionStmt, ctx: &Ctx) -> Outcome {
        let (schema, name) = self.list_key(&s.funcname);
        let signature = signature_of(&s.parameters);
        let mut f = Function {
            schema: schema.clone(),
            name: name.clone(),
            is_procedure: s.is_procedure,
            signature: signature.clone(),
            volatility: "v".into(),
            parallel: "u".into(),
            span: ctx.span,
            ..Default::default()
        };
        let mut table_cols = Vec::new();
        for n in &s.parameters {
            let Some(N::FunctionParameter(p)) = n.node.as_ref() else {
                continue;
            };
            let data_type = p.arg_type.as_ref().map(format_type).unwrap_or_default();
            let m = match mode(p) {
                M::FuncParamOut => "out",
                M::FuncParamInout => "inout",
                M::FuncParamVariadic => "variadic",
                M::FuncParamTable => "table",
                _ => "in",
            };
            if m == "table" {
                table_cols.push(format!("{} {data_type}", super::quote_ident(&p.name)));
            }
            f.arguments.push(Argument {
                name: (!p.name.is_empty()).then(|| p.name.clone()),
                mode: m.into(),
                data_type,
                default: canon::opt_expr(&p.defexpr),
            });
        }
        if let Some(rt) = &s.return_type {
            f.returns_set = rt.setof;
            f.returns = Some(if !table_cols.is_empty() {
                format!("TABLE({})", table_cols.join(", "))
            } else if rt.setof {
                format!("SETOF {}", format_type(rt))
            } else {
                format_type(rt)
            });
        }
        for n in &s.options {
            let Some(N::DefElem(d)) = n.node.as_ref() else {
                continue;
            };
            let arg = d.arg.as_deref();
            match d.defname.as_str() {
                "language" => f.language = arg.and_then(def_arg).unwrap_or_default(),
                "volatility" => {
                    f.volatility = match arg.and_then(def_arg).as_deref() {
                        Some("immutable") => "i",
                        Some("stable") => "s",
                        _ => "v",
                    }
                    .into()
                }
                "strict" => f.strict = arg.and_then(def_arg).as_deref() == Some("true"),
                "security" => f.security_definer = arg.and_then(def_arg).as_deref() == Some("true"),
                "leakproof" => f.leakproof = arg.and_then(def_arg).as_deref() == Some("true"),
                "rows" => f.rows = arg.and_then(def_arg).and_then(|v| v.parse().ok()),
                "parallel" => {
                    f.parallel = match arg.and_then(def_arg).as_deref() {
                        Some("safe") => "s",
                        Some("restricted") => "r",
                        _ => "u",
                    }
                    .into()
                }
                "set" => {
                    if let Some(N::VariableSetStmt(v)) = arg.and_then(|a| a.node.as_ref()) {
                        f.config.push((v.name.clone(), set_value(v)));
                    }
                }
                "as" => {
                    if let Some(N::List(l)) = arg.and_then(|a| a.node.as_ref()) {
                        f.body = l.items.iter().filter_map(def_arg).collect::<Vec<_>>().join("\n");
                    }
                }
                _ => {}
            }
        }
        if let Some(body) = &s.sql_body {
            // `BEGIN ATOMIC ... END` / `RETURN expr`: deparse the statements.
            f.body = match body.node.as_ref() {
                Some(N::List(l)) => l
                    .items
                    .iter()
                    .flat_map(|i| match i.node.as_ref() {
                        Some(N::List(inner)) => {
                            inner.items.iter().filter_map(|x| x.node.as_ref().and_then(body_statement)).collect::<Vec<_>>()
                        }
                        Some(other) => body_statement(other).into_iter().collect(),
                        None => vec![],
                    })
                    .collect::<Vec<_>>()
                    .join(";\n"),
                Some(other) => body_statement(other).unwrap_or_default(),
                None => String::new(),
            };
            if f.language.is_empty() {
                f.language = "sql".into();
            }
        }
        let k = key::routine(&schema, &name, &signature);
        if let Some(old) = self.snap.functions.get(&k) {
            // CREATE OR REPLACE keeps owner, ACL and comment, like the server.
            f.owner = old.owner.clone();
            f.privileges = old.privileges.clone();
            f.comment = old.comment.clone();
        }
        self.snap.functions.insert(k, f);
        Modelled
    }

    pub(crate) fn alter_function(&mut self, s: &protobuf::AlterFunctionStmt) -> Outcome {
        let Some(o) = &s.func else {
            return not_modelled();
        };
        let Some(k) = self.routine_key(o) else {
            return missing("function", &strings(&o.objname).join("."));
        };
        let Some(f) = self.snap.functions.get_mut(&k) else {
            return missing("function", &k);
        };
        for n in &s.actions {
            let Some(N::DefElem(d)) = n.node.as_ref() else {
                continue;
            };
            let arg = d.arg.as_deref();
            match d.defname.as_str() {
                "security" => f.security_definer = arg.and_then(def_arg).as_deref() == Some("true"),
                "set" => {
                    if let Some(N::VariableSetStmt(v)) = arg.and_then(|a| a.node.as_ref()) {
                        f.config.retain(|(name, _)| name != &v.name);
                        if v.kind == protobuf::VariableSetKind::VarSetValue as i32 {
                            f.config.push((v.name.clone(), set_value(v)));
                        }
                    }
                }
                "volatility" => {
                    f.volatility = match arg.and_then(def_arg).as_deref() {
                        Some("immutable") => "i",
                        Some("stable") => "s",
                        _ => "v",
                    }
                    .into()
                }
                "strict" => f.strict = arg.and_then(def_arg).as_deref() == Some("true"),
                "leakproof" => f.leakproof = arg.and_then(def_arg).as_deref() == Some("true"),
                "rows" => f.rows = arg.and_then(def_arg).and_then(|v| v.parse().ok()),
                _ => {}
            }
        }
        Modelled
    }

    pub(crate) fn create_trigger(&mut self, s: &protobuf::CreateTrigStmt, ctx: &Ctx) -> Outcome {
        use super::format::trigger_type::*;
        let table = self.rel_key(&s.relation);
        if !self.relation_exists(&table) {
            return missing("table", &table);
        }
        let mut events = Vec::new();
        if s.events & INSERT != 0 {
            events.push("INSERT".to_string());
        }
        if s.events & UPDATE != 0 {
            let cols = strings(&s.columns);
            events.push(if cols.is_empty() { "UPDATE".into() } else { format!("UPDATE OF {}", cols.join(", ")) });
        }
        if s.events & DELETE != 0 {
            events.push("DELETE".into());
        }
        if s.events & TRUNCATE != 0 {
            events.push("TRUNCATE".into());
        }
        let (fs, fname) = self.list_key(&s.funcname);
        let when = canon::opt_expr(&s.when_clause);
        let when_text = when.as_ref().map(|w| w.canonical.as_str()).filter(|w| *w != canon::UNPRINTABLE_EXPR);
        let definition = super::format::trigger(s, when_text).unwrap_or_else(|| deparse_trigger_definition(s));
        let t = Trigger {
            name: s.trigname.clone(),
            table: table.clone(),
            timing: if s.timing & BEFORE != 0 {
                "BEFORE"
            } else if s.timing & INSTEAD != 0 {
                "INSTEAD OF"
            } else {
                "AFTER"
            }
            .into(),
            events,
            for_each_row: s.row,
            when,
            function: key::qualified(&fs, &fname),
            arguments: s.args.iter().filter_map(def_arg).collect(),
            constraint: s.isconstraint,
            enabled: "O".into(),
            definition,
            cloned_from: None,
            comment: None,
            span: ctx.span,
        };
        self.snap.triggers.insert(key::member(&table, &s.trigname), t);
        Modelled
    }

    pub(crate) fn create_event_trigger(&mut self, s: &protobuf::CreateEventTrigStmt, ctx: &Ctx) -> Outcome {
        let (fs, fname) = self.list_key(&s.funcname);
        let tags = s
            .whenclause
            .iter()
            .filter_map(|n| match n.node.as_ref()? {
                N::DefElem(d) => d.arg.as_deref().and_then(def_arg),
                _ => None,
            })
            .collect();
        self.snap.event_triggers.insert(
            s.trigname.clone(),
            EventTrigger {
                name: s.trigname.clone(),
                event: s.eventname.clone(),
                tags,
                function: key::qualified(&fs, &fname),
                enabled: "O".into(),
                owner: None,
                comment: None,
                span: ctx.span,
            },
        );
        Modelled
    }

    pub(crate) fn alter_event_trigger(&mut self, s: &protobuf::AlterEventTrigStmt) -> Outcome {
        let Some(e) = self.snap.event_triggers.get_mut(&s.trigname) else {
            return missing("event trigger", &s.trigname);
        };
        e.enabled = s.tgenabled.clone();
        Modelled
    }
}

/// One statement of a SQL-standard body; the deparser prints `RETURN expr` only inside a
/// function, so that one is printed here.
fn body_statement(n: &N) -> Option<String> {
    match n {
        N::ReturnStmt(r) => Some(format!("RETURN {}", canon::expr_text(r.returnval.as_deref()?)?)),
        other => canon::statement(other.clone()),
    }
}

/// The value of `SET name = value` / `SET name TO a, b` as PostgreSQL stores it in proconfig.
fn set_value(v: &protobuf::VariableSetStmt) -> String {
    v.args
        .iter()
        .filter_map(|a| match a.node.as_ref()? {
            N::AConst(c) => match c.val.as_ref()? {
                protobuf::a_const::Val::Sval(s) => Some(if v.name == "search_path" { quote_path_item(&s.sval) } else { s.sval.clone() }),
                protobuf::a_const::Val::Ival(i) => Some(i.ival.to_string()),
                protobuf::a_const::Val::Fval(f) => Some(f.fval.clone()),
                protobuf::a_const::Val::Boolval(b) => Some(b.boolval.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// search_path items are identifiers: `''` stays `""`, names needing quotes are quoted.
fn quote_path_item(s: &str) -> String {
    if s.is_empty() {
        "\"\"".into()
    } else if s == "$user" {
        "\"$user\"".into()
    } else {
        super::quote_ident(s)
    }
}

/// A `CREATE TRIGGER` through pg_query's deparser (the path `format::trigger` must agree with).
pub(crate) fn deparse_trigger_definition(s: &protobuf::CreateTrigStmt) -> String {
    canon::statement(N::CreateTrigStmt(Box::new(s.clone()))).unwrap_or_default()
}
