//! pglens browser app: Leptos (CSR) views over the snapshot that the worker (`worker/`) builds
//! with `pglens-core`. This crate knows the DOM, files and workers; it never parses SQL itself
//! (it uses only `pglens-core`'s serde model types, so the parser is not linked in).
//!
//! Modules: `helpers`, `access_data`, `policy_rows`, `checks_view`, `drift_view` (pure, unit
//! tested), `state` (signals), `client` (worker protocol), `components` (virtualized rows, source
//! view, access matrix pieces, side-by-side definitions), `pages` (one per hash route), `shell`
//! (layout).

pub mod access_data;
pub mod checks_view;
pub mod drift_view;
pub mod erd_geometry;
pub mod erd_view;
pub mod helpers;
pub mod policy_rows;
pub mod sources;

mod client;
mod components;
mod download;
mod pages;
mod report_file;
mod shell;
mod state;

/// Mounts the app on `<body>`.
pub fn run() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(shell::App);
}
