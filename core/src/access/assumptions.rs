//! What a dump cannot say about roles, stated explicitly.
//!
//! `pg_dump --schema-only` writes no roles: not who is a superuser, who has BYPASSRLS, nor who is
//! a member of whom. The access matrix needs those facts, so they come from here: a preset chosen
//! from the snapshot (Supabase's platform roles when the dump looks like a Supabase project), which
//! the app and `pglens.toml` can edit. Every cell names the assumptions it used.

use crate::model::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Assumptions {
    /// Which preset these started from (`supabase`, `plain`, or `custom` once edited).
    pub preset: String,
    /// Roles that exist although the snapshot need not name them (they get a column each).
    pub roles: Vec<String>,
    /// Roles with `BYPASSRLS` (not inherited through membership, as in PostgreSQL).
    pub bypass_rls: Vec<String>,
    /// Superusers: every privilege, and row level security never applies.
    pub superusers: Vec<String>,
    /// Memberships that inherit privileges: member → the roles it is a member of.
    pub member_of: BTreeMap<String, Vec<String>>,
    /// Schemas an HTTP API serves to `api_roles` (Supabase's Data API: `public`).
    pub exposed_schemas: Vec<String>,
    /// The roles anonymous and signed-in API clients act as.
    pub api_roles: Vec<String>,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions::supabase()
    }
}

impl Assumptions {
    /// Supabase's platform: the API roles `anon` and `authenticated`, `service_role` with
    /// BYPASSRLS, `supabase_admin` as the superuser. `authenticator` is a member of the API roles
    /// but NOINHERIT, so it is not listed as inheriting from them.
    pub fn supabase() -> Self {
        Assumptions {
            preset: "supabase".into(),
            roles: vec!["anon".into(), "authenticated".into(), "service_role".into()],
            bypass_rls: vec!["service_role".into()],
            superusers: vec!["supabase_admin".into()],
            member_of: BTreeMap::new(),
            exposed_schemas: vec!["public".into(), "graphql_public".into()],
            api_roles: vec!["anon".into(), "authenticated".into()],
        }
    }

    /// No role facts at all: only the roles the snapshot names, none of them superuser.
    pub fn plain() -> Self {
        Assumptions {
            preset: "plain".into(),
            roles: vec![],
            bypass_rls: vec![],
            superusers: vec![],
            member_of: BTreeMap::new(),
            exposed_schemas: vec![],
            api_roles: vec![],
        }
    }

    /// The preset that fits the snapshot: Supabase's when it mentions Supabase's API roles or
    /// its `auth` schema, plain otherwise.
    pub fn for_snapshot(snap: &Snapshot) -> Self {
        let supabase_roles = ["anon", "authenticated", "service_role"];
        let named = |r: &String| supabase_roles.contains(&r.as_str());
        let mentions = snap.schemas.contains_key("auth")
            || snap
                .tables
                .values()
                .any(|t| t.privileges.iter().any(|p| named(&p.grantee)) || t.policies.values().any(|p| p.roles.iter().any(named)))
            || snap.functions.values().any(|f| f.privileges.iter().any(|p| named(&p.grantee)));
        if mentions {
            Assumptions::supabase()
        } else {
            Assumptions::plain()
        }
    }

    pub fn is_superuser(&self, role: &str) -> bool {
        self.superusers.iter().any(|r| r == role)
    }

    pub fn bypasses_rls(&self, role: &str) -> bool {
        self.bypass_rls.iter().any(|r| r == role)
    }

    /// The role itself and every role it inherits privileges from, transitively (`public` is
    /// not included: callers add PUBLIC where ACLs have it).
    pub fn privileges_of(&self, role: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo = vec![role.to_string()];
        while let Some(r) = todo.pop() {
            if out.insert(r.clone()) {
                todo.extend(self.member_of.get(&r).into_iter().flatten().cloned());
            }
        }
        out
    }

    /// The memberships that `role` inherits through, as assumption sentences.
    pub fn membership_sentences(&self, role: &str) -> Vec<String> {
        let mut out = Vec::new();
        for r in self.privileges_of(role) {
            for m in self.member_of.get(&r).into_iter().flatten() {
                out.push(format!("{r} is a member of {m} (inherits)"));
            }
        }
        out
    }
}
