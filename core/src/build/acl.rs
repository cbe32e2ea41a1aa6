//! Privileges: GRANT / REVOKE applied to ACLs that start, like the server's, as the owner's
//! default (`acldefault`), and `ALTER DEFAULT PRIVILEGES` recorded as written.
//!
//! The model's `privileges` are the effective ACL, as `aclexplode(coalesce(acl, acldefault(...)))`
//! lists it: owner entries included, and PUBLIC's default EXECUTE on functions and USAGE on types.

use super::names::strings;
use super::relation::role_name;
use super::routine::owa_signature;
use super::{not_modelled, Builder, Ctx, Outcome, Outcome::*};
use crate::model::*;
use pg_query::protobuf::{self, node::Node as N, ObjectType as O};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum AclObject {
    Relation,
    Sequence,
    Function,
    Schema,
    Type,
}

const TABLE_ALL: &[&str] = &["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
const SEQUENCE_ALL: &[&str] = &["SELECT", "UPDATE", "USAGE"];
const FUNCTION_ALL: &[&str] = &["EXECUTE"];
const SCHEMA_ALL: &[&str] = &["USAGE", "CREATE"];
const TYPE_ALL: &[&str] = &["USAGE"];
const COLUMN_ALL: &[&str] = &["SELECT", "INSERT", "UPDATE", "REFERENCES"];

fn all_of(kind: AclObject) -> &'static [&'static str] {
    match kind {
        AclObject::Relation => TABLE_ALL,
        AclObject::Sequence => SEQUENCE_ALL,
        AclObject::Function => FUNCTION_ALL,
        AclObject::Schema => SCHEMA_ALL,
        AclObject::Type => TYPE_ALL,
    }
}

/// What `ALL` means in `ALTER DEFAULT PRIVILEGES ... ON <object_type>` (`TABLES`, `SEQUENCES`, ...).
pub(crate) fn all_of_default(object_type: &str) -> &'static [&'static str] {
    match object_type {
        "SEQUENCES" => SEQUENCE_ALL,
        "FUNCTIONS" | "ROUTINES" => FUNCTION_ALL,
        "SCHEMAS" => SCHEMA_ALL,
        "TYPES" => TYPE_ALL,
        _ => TABLE_ALL,
    }
}

/// `acldefault`: the owner holds everything; PUBLIC may execute functions and use types.
fn default_acl(kind: AclObject, owner: Option<&str>) -> Vec<Privilege> {
    let mut out = Vec::new();
    if let Some(o) = owner {
        for p in all_of(kind) {
            out.push(Privilege {
                grantee: o.to_string(),
                privilege: p.to_string(),
                grantable: false,
                grantor: Some(o.to_string()),
                span: None,
            });
        }
    }
    if matches!(kind, AclObject::Function | AclObject::Type) {
        for p in all_of(kind) {
            out.push(Privilege {
                grantee: "PUBLIC".into(),
                privilege: p.to_string(),
                grantable: false,
                grantor: owner.map(str::to_string),
                span: None,
            });
        }
    }
    out
}

/// ALTER ... OWNER TO moves the old owner's entries to the new owner, as the server does. When the
/// old owner is unknown (a script's objects belong to whoever ran it), its entries were never
/// written down: the new owner gets the owner's default privileges, and what the unknown owner
/// granted is now granted by the new one.
pub(crate) fn rename_owner(privs: &mut Vec<Privilege>, kind: AclObject, old: Option<&str>, new: Option<&str>) {
    let Some(new) = new else {
        return;
    };
    match old {
        Some(old) => {
            for p in privs.iter_mut() {
                if p.grantee == old {
                    p.grantee = new.to_string();
                }
                if p.grantor.as_deref() == Some(old) {
                    p.grantor = Some(new.to_string());
                }
            }
        }
        None => {
            for p in privs.iter_mut().filter(|p| p.grantor.is_none()) {
                p.grantor = Some(new.to_string());
            }
            for name in all_of(kind) {
                if !privs.iter().any(|p| p.grantee == new && p.privilege == *name) {
                    privs.push(Privilege {
                        grantee: new.into(),
                        privilege: name.to_string(),
                        grantable: false,
                        grantor: Some(new.into()),
                        span: None,
                    });
                }
            }
            privs.sort();
        }
    }
}

/// One GRANT or REVOKE on one ACL, as the server applies it.
struct AclChange<'a> {
    is_grant: bool,
    grant_option: bool,
    grantor: Option<&'a str>,
    span: Option<Span>,
}

fn apply(privs: &mut Vec<Privilege>, change: &AclChange, names: &[String], grantees: &[String]) {
    let AclChange { is_grant, grant_option, grantor, span } = *change;
    for g in grantees {
        for name in names {
            if is_grant {
                match privs.iter_mut().find(|p| &p.grantee == g && &p.privilege == name) {
                    Some(p) => p.grantable |= grant_option,
                    None => privs.push(Privilege {
                        grantee: g.clone(),
                        privilege: name.clone(),
                        grantable: grant_option,
                        grantor: grantor.map(str::to_string),
                        span,
                    }),
                }
            } else if grant_option {
                // REVOKE GRANT OPTION FOR keeps the privilege itself.
                for p in privs.iter_mut().filter(|p| &p.grantee == g && &p.privilege == name) {
                    p.grantable = false;
                }
            } else {
                privs.retain(|p| !(&p.grantee == g && &p.privilege == name));
            }
        }
    }
    privs.sort();
}

/// Grantees as ACLs name them: roles by name, the pseudo-role as `PUBLIC`.
fn grantee_names(list: &[protobuf::Node]) -> Vec<String> {
    list.iter()
        .filter_map(|n| match n.node.as_ref()? {
            N::RoleSpec(r) => Some(role_name(r)),
            _ => None,
        })
        .map(|r| if r == "public" { "PUBLIC".to_string() } else { r })
        .collect()
}

impl Builder {
    /// The ACL of an object, materialised from its default on first touch.
    fn acl_mut(&mut self, kind: AclObject, key: &str) -> Option<&mut Vec<Privilege>> {
        self.privileges_slot(kind, key)?;
        if self.acl_touched.insert((kind, key.to_string())) {
            let effective = if self.sequences.contains_key(key) { AclObject::Sequence } else { kind };
            let list = default_acl(effective, self.owner_of(kind, key).as_deref());
            *self.privileges_slot(kind, key)? = list;
        }
        self.privileges_slot(kind, key)
    }

    fn privileges_slot(&mut self, kind: AclObject, key: &str) -> Option<&mut Vec<Privilege>> {
        match kind {
            AclObject::Relation | AclObject::Sequence => {
                if self.tables.contains_key(key) {
                    return self.tables.get_mut(key).map(|t| &mut t.privileges);
                }
                if self.snap.views.contains_key(key) {
                    return self.snap.views.get_mut(key).map(|t| &mut t.privileges);
                }
                self.sequences.get_mut(key).map(|t| &mut t.privileges)
            }
            AclObject::Function => self.snap.functions.get_mut(key).map(|t| &mut t.privileges),
            AclObject::Schema => self.snap.schemas.get_mut(key).map(|t| &mut t.privileges),
            AclObject::Type => self.snap.types.get_mut(key).map(|t| &mut t.privileges),
        }
    }

    fn owner_of(&self, kind: AclObject, key: &str) -> Option<String> {
        match kind {
            AclObject::Relation | AclObject::Sequence => self
                .tables
                .get(key)
                .map(|t| t.owner.clone())
                .or_else(|| self.snap.views.get(key).map(|v| v.owner.clone()))
                .or_else(|| self.sequences.get(key).map(|s| s.owner.clone()))
                .flatten(),
            AclObject::Function => self.snap.functions.get(key).and_then(|f| f.owner.clone()),
            AclObject::Schema => self.snap.schemas.get(key).and_then(|f| f.owner.clone()),
            AclObject::Type => self.snap.types.get(key).and_then(|f| f.owner.clone()),
        }
    }

    pub(crate) fn grant(&mut self, s: &protobuf::GrantStmt, ctx: &Ctx) -> Outcome {
        let objtype = O::try_from(s.objtype).unwrap_or(O::Undefined);
        let kind = match objtype {
            O::ObjectTable | O::ObjectView | O::ObjectMatview | O::ObjectForeignTable => AclObject::Relation,
            O::ObjectSequence => AclObject::Sequence,
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine => AclObject::Function,
            O::ObjectSchema => AclObject::Schema,
            O::ObjectType | O::ObjectDomain => AclObject::Type,
            other => return Unmodelled(format!("privileges on {other:?} are not modelled")),
        };
        let grantees = grantee_names(&s.grantees);
        // (privilege names, columns) per AccessPriv; an empty list means ALL.
        let mut table_privs: Vec<String> = Vec::new();
        let mut column_privs: Vec<(String, Vec<String>)> = Vec::new();
        if s.privileges.is_empty() {
            table_privs = all_of(kind).iter().map(|p| p.to_string()).collect();
        }
        for n in &s.privileges {
            let Some(N::AccessPriv(ap)) = n.node.as_ref() else {
                continue;
            };
            let name = ap.priv_name.to_ascii_uppercase();
            let cols = strings(&ap.cols);
            if cols.is_empty() {
                if name.is_empty() || name == "ALL" {
                    table_privs.extend(all_of(kind).iter().map(|p| p.to_string()));
                } else {
                    table_privs.push(name);
                }
            } else {
                let names = if name.is_empty() || name == "ALL" { COLUMN_ALL.iter().map(|p| p.to_string()).collect() } else { vec![name] };
                for c in cols {
                    column_privs.push((c, names.clone()));
                }
            }
        }
        let explicit_grantor = s.grantor.as_ref().map(role_name);
        let all_in_schema = s.targtype == protobuf::GrantTargetType::AclTargetAllInSchema as i32;
        let targets: Vec<String> = if all_in_schema {
            let schemas = strings(&s.objects);
            let in_schema = |k: &String| schemas.iter().any(|s| k.starts_with(&format!("{s}.")));
            match kind {
                // Tables and sequences are hashed while the dump is applied: sorted, they come
                // in the snapshot's order.
                AclObject::Relation => {
                    let mut tables: Vec<String> = self.tables.keys().filter(|k| in_schema(k)).cloned().collect();
                    tables.sort_unstable();
                    tables.extend(self.snap.views.keys().filter(|k| in_schema(k)).cloned());
                    tables
                }
                AclObject::Sequence => {
                    let mut sequences: Vec<String> = self.sequences.keys().filter(|k| in_schema(k)).cloned().collect();
                    sequences.sort_unstable();
                    sequences
                }
                AclObject::Function => self
                    .snap
                    .functions
                    .iter()
                    .filter(|(k, f)| in_schema(k) && (objtype == O::ObjectRoutine || f.is_procedure == (objtype == O::ObjectProcedure)))
                    .map(|(k, _)| k.clone())
                    .collect(),
                _ => vec![],
            }
        } else {
            let mut out = Vec::new();
            for n in &s.objects {
                let k = match (kind, n.node.as_ref()) {
                    (_, Some(N::RangeVar(r))) => super::range_key(&self.creation_schema, r),
                    (_, Some(N::ObjectWithArgs(o))) => match self.routine_key(o) {
                        Some(k) => k,
                        None => {
                            return super::missing(
                                "function",
                                &format!("{}({})", strings(&o.objname).join("."), owa_signature(o).unwrap_or_default()),
                            )
                        }
                    },
                    (AclObject::Schema, Some(N::String(s))) => s.sval.clone(),
                    (_, Some(N::List(l))) => {
                        let (sch, name) = self.list_key(&l.items);
                        key::qualified(&sch, &name)
                    }
                    (_, Some(N::TypeName(t))) => {
                        let (sch, name) = self.list_key(&t.names);
                        key::qualified(&sch, &name)
                    }
                    _ => return not_modelled(),
                };
                out.push(k);
            }
            out
        };
        for k in targets {
            let grantor = explicit_grantor.clone().or_else(|| self.session_user.clone()).or_else(|| self.owner_of(kind, &k));
            let change =
                AclChange { is_grant: s.is_grant, grant_option: s.grant_option, grantor: grantor.as_deref(), span: Some(ctx.span) };
            if !table_privs.is_empty() {
                let kind_here = if kind == AclObject::Relation && self.sequences.contains_key(&k) { AclObject::Sequence } else { kind };
                let Some(privs) = self.acl_mut(kind_here, &k) else {
                    return super::missing("object", &k);
                };
                apply(privs, &change, &table_privs, &grantees);
            }
            for (col, names) in &column_privs {
                let Some(t) = self.tables.get_mut(&k) else {
                    return Unmodelled(format!("column privileges on {k}, which is not a table here"));
                };
                let Some(c) = t.columns.iter_mut().find(|c| &c.name == col) else {
                    return super::missing("column", &format!("{k}.{col}"));
                };
                apply(&mut c.privileges, &change, names, &grantees);
            }
        }
        Modelled
    }

    pub(crate) fn default_privileges(&mut self, s: &protobuf::AlterDefaultPrivilegesStmt, ctx: &Ctx) -> Outcome {
        let Some(action) = &s.action else {
            return not_modelled();
        };
        // `FOR ROLE a, b IN SCHEMA x, y` is one rule per (role, schema) pair, as the server stores it.
        // Without FOR ROLE the rule is the current role's: the session user if the input set one.
        let mut roles: Vec<Option<String>> = vec![self.session_user.clone()];
        let mut schemas: Vec<Option<String>> = vec![None];
        for n in &s.options {
            let Some(N::DefElem(d)) = n.node.as_ref() else {
                continue;
            };
            let Some(N::List(l)) = d.arg.as_ref().and_then(|a| a.node.as_ref()) else {
                continue;
            };
            match d.defname.as_str() {
                "roles" => {
                    roles = l
                        .items
                        .iter()
                        .filter_map(|i| match i.node.as_ref()? {
                            N::RoleSpec(r) => Some(Some(role_name(r))),
                            _ => None,
                        })
                        .collect()
                }
                "schemas" => schemas = strings(&l.items).into_iter().map(Some).collect(),
                _ => {}
            }
        }
        let object_type = match O::try_from(action.objtype).unwrap_or(O::Undefined) {
            O::ObjectTable => "TABLES",
            O::ObjectSequence => "SEQUENCES",
            O::ObjectFunction | O::ObjectRoutine | O::ObjectProcedure => "FUNCTIONS",
            O::ObjectType => "TYPES",
            O::ObjectSchema => "SCHEMAS",
            _ => "OTHER",
        };
        let privileges = if action.privileges.is_empty() {
            vec!["ALL".to_string()]
        } else {
            action
                .privileges
                .iter()
                .filter_map(|n| match n.node.as_ref()? {
                    N::AccessPriv(a) => Some(a.priv_name.to_ascii_uppercase()),
                    _ => None,
                })
                .collect()
        };
        let grantees = grantee_names(&action.grantees);
        for for_role in &roles {
            for schema in &schemas {
                self.snap.default_privileges.push(DefaultPrivilege {
                    for_role: for_role.clone(),
                    schema: schema.clone(),
                    object_type: object_type.into(),
                    grant: action.is_grant,
                    privileges: privileges.clone(),
                    grantees: grantees.clone(),
                    grantable: action.grant_option,
                    span: ctx.span,
                });
            }
        }
        Modelled
    }

    /// `ALTER DEFAULT PRIVILEGES` met earlier in the input set the ACL of an object created now,
    /// as the server does at creation: the global rules (no schema) rewrite `acldefault`, then the
    /// schema's rules add to it. A rule `FOR ROLE r` applies to objects `r` creates; the creator is
    /// the session user when the input set one, and otherwise the (unnamed) role running the script,
    /// whose rules are the ones written without FOR ROLE outside any SET ROLE.
    /// pg_dump writes its default privileges after every object, so for a dump this never fires.
    pub(crate) fn apply_default_privileges(&mut self, kind: AclObject, key: &str, schema: Option<&str>) {
        if self.snap.default_privileges.is_empty() {
            return;
        }
        let object_type = match kind {
            AclObject::Relation => "TABLES",
            AclObject::Sequence => "SEQUENCES",
            AclObject::Function => "FUNCTIONS",
            AclObject::Type => "TYPES",
            AclObject::Schema => "SCHEMAS",
        };
        // Defaults are looked up for the object's owner at creation: the creating role, or the
        // AUTHORIZATION role of a CREATE SCHEMA. `None` is the role running the script.
        let creator = self.owner_of(kind, key).or_else(|| self.session_user.clone());
        let for_creator = |d: &&DefaultPrivilege| d.object_type == object_type && d.for_role == creator;
        let global: Vec<DefaultPrivilege> =
            self.snap.default_privileges.iter().filter(for_creator).filter(|d| d.schema.is_none()).cloned().collect();
        let in_schema: Vec<DefaultPrivilege> = match schema {
            Some(sch) => {
                self.snap.default_privileges.iter().filter(for_creator).filter(|d| d.schema.as_deref() == Some(sch)).cloned().collect()
            }
            None => vec![],
        };
        if global.is_empty() && in_schema.is_empty() {
            return;
        }
        let owner = self.owner_of(kind, key).or(creator);
        let rules = |acl: &mut Vec<Privilege>, list: &[DefaultPrivilege]| {
            for d in list {
                let names: Vec<String> = d
                    .privileges
                    .iter()
                    .flat_map(|p| if p == "ALL" { all_of(kind).iter().map(|p| p.to_string()).collect() } else { vec![p.clone()] })
                    .collect();
                let change = AclChange { is_grant: d.grant, grant_option: d.grantable, grantor: owner.as_deref(), span: Some(d.span) };
                apply(acl, &change, &names, &d.grantees);
            }
        };
        let mut acl = default_acl(kind, owner.as_deref());
        rules(&mut acl, &global);
        let mut added = Vec::new();
        rules(&mut added, &in_schema);
        for p in added {
            if !acl.iter().any(|q| q.grantee == p.grantee && q.privilege == p.privilege) {
                acl.push(p);
            }
        }
        acl.sort();
        if let Some(slot) = self.privileges_slot(kind, key) {
            *slot = acl;
            self.acl_touched.insert((kind, key.to_string()));
        }
    }

    /// Objects never granted on hold the owner's defaults.
    pub(crate) fn materialise_default_acls(&mut self) {
        let touched = std::mem::take(&mut self.acl_touched);
        // Looked up by borrowed key: asking the set itself would clone every object's key.
        let touched: std::collections::HashSet<(AclObject, &str), super::KeyHash> =
            touched.iter().map(|(kind, k)| (*kind, k.as_str())).collect();
        let untouched = |kind: AclObject, k: &String| !touched.contains(&(kind, k.as_str()));
        for (k, t) in self.tables.iter_mut() {
            if untouched(AclObject::Relation, k) {
                t.privileges = default_acl(AclObject::Relation, t.owner.as_deref());
            }
        }
        for (k, v) in self.snap.views.iter_mut() {
            if untouched(AclObject::Relation, k) {
                v.privileges = default_acl(AclObject::Relation, v.owner.as_deref());
            }
        }
        for (k, s) in self.sequences.iter_mut() {
            if untouched(AclObject::Sequence, k) && untouched(AclObject::Relation, k) {
                s.privileges = default_acl(AclObject::Sequence, s.owner.as_deref());
            }
        }
        for (k, f) in self.snap.functions.iter_mut() {
            if untouched(AclObject::Function, k) {
                f.privileges = default_acl(AclObject::Function, f.owner.as_deref());
            }
        }
        for (k, s) in self.snap.schemas.iter_mut() {
            if untouched(AclObject::Schema, k) {
                s.privileges = default_acl(AclObject::Schema, s.owner.as_deref());
            }
        }
        for (k, t) in self.snap.types.iter_mut() {
            if untouched(AclObject::Type, k) {
                t.privileges = default_acl(AclObject::Type, t.owner.as_deref());
            }
        }
    }
}
