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
pub mod anon_security_definer_function_executable;
pub mod auth_rls_initplan;
pub mod auth_users_exposed;
pub mod authenticated_security_definer_function_executable;
pub mod function_search_path_mutable;
pub mod multiple_permissive_policies;
pub mod rls_policy_always_true;
pub mod rls_references_user_metadata;
pub mod security_definer_function_in_exposed_schema;
pub mod security_definer_view;
mod security_util;
pub mod sensitive_columns_exposed;
// -- end security batch --
// -- modules: integrity batch --
pub mod default_deny_sensitive;
pub mod duplicate_index;
pub mod extension_in_public;
pub mod fkey_to_auth_unique;
pub mod foreign_table_in_api;
pub mod guest_grants;
pub mod id_type_inconsistent;
mod integrity_batch_util;
pub mod materialized_view_in_api;
pub mod no_primary_key;
pub mod unsupported_reg_types;
// -- end integrity batch --
// -- modules: policy and conventions batch --
pub mod fk_naming;
pub mod pk_not_id;
mod policy_conventions_util;
pub mod policy_for_all;
pub mod policy_update_asymmetric;
pub mod rls_filter_column_unindexed;
pub mod soft_delete_unique_without_partial;
pub mod tenant_key_not_in_policy;
pub mod tenant_key_not_in_unique;
pub mod timestamp_default_not_now;
pub mod timestamp_without_time_zone;
// -- end policy and conventions batch --

pub static ALL: &[&Rule] = &[
    &fk_type_mismatch::RULE,
    &policy_exists_rls_disabled::RULE,
    &rls_disabled_in_public::RULE,
    &rls_enabled_no_policy::RULE,
    &unindexed_foreign_keys::RULE,
    // -- rules: security batch --
    &anon_security_definer_function_executable::RULE,
    &auth_rls_initplan::RULE,
    &auth_users_exposed::RULE,
    &authenticated_security_definer_function_executable::RULE,
    &function_search_path_mutable::RULE,
    &multiple_permissive_policies::RULE,
    &rls_policy_always_true::RULE,
    &rls_references_user_metadata::RULE,
    &security_definer_function_in_exposed_schema::RULE,
    &security_definer_view::RULE,
    &sensitive_columns_exposed::RULE,
    // -- end security batch --
    // -- rules: integrity batch --
    &default_deny_sensitive::RULE,
    &duplicate_index::RULE,
    &extension_in_public::RULE,
    &fkey_to_auth_unique::RULE,
    &foreign_table_in_api::RULE,
    &guest_grants::RULE,
    &id_type_inconsistent::RULE,
    &materialized_view_in_api::RULE,
    &no_primary_key::RULE,
    &unsupported_reg_types::RULE,
    // -- end integrity batch --
    // -- rules: policy and conventions batch --
    &fk_naming::RULE,
    &pk_not_id::RULE,
    &policy_for_all::RULE,
    &policy_update_asymmetric::RULE,
    &rls_filter_column_unindexed::RULE,
    &soft_delete_unique_without_partial::RULE,
    &tenant_key_not_in_policy::RULE,
    &tenant_key_not_in_unique::RULE,
    &timestamp_default_not_now::RULE,
    &timestamp_without_time_zone::RULE,
    // -- end policy and conventions batch --
];
