//! Every rule, one file each. To add one: write `rules/<id>.rs` (see an existing rule for the shape and
//! the doc headings), add it below and to `ALL`, add `checks/tests/<id>/{bad,good}.sql`, then run
//! `PGLENS_BLESS=1 cargo test -p pglens-core --lib checks` to write `bad.expected` and `docs/checks/`.

use super::Rule;

pub mod fk_type_mismatch;
pub mod policy_exists_rls_disabled;
pub mod rls_disabled_in_public;
pub mod rls_enabled_no_policy;
pub mod unindexed_foreign_keys;
// -- modules: security batch --
// -- end security batch --
// -- modules: integrity batch --
// -- end integrity batch --
// -- modules: policy and conventions batch --
// -- end policy and conventions batch --

pub static ALL: &[&Rule] = &[
    &fk_type_mismatch::RULE,
    &policy_exists_rls_disabled::RULE,
    &rls_disabled_in_public::RULE,
    &rls_enabled_no_policy::RULE,
    &unindexed_foreign_keys::RULE,
    // -- rules: security batch --
    // -- end security batch --
    // -- rules: integrity batch --
    // -- end integrity batch --
    // -- rules: policy and conventions batch --
    // -- end policy and conventions batch --
];
