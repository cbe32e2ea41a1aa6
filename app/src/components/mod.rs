//! Reusable view pieces.
pub mod access_grid;
pub mod assumptions_editor;
pub mod cell_detail;
pub mod erd_canvas;
pub mod fix_sql;
pub mod index_coverage;
pub mod report_button;
pub mod share;
pub mod side_by_side;
pub mod source;
pub mod virtual_rows;

pub use fix_sql::FixSql;
pub use index_coverage::IndexCoverage;
pub use source::SourceView;
pub use virtual_rows::VirtualRows;
