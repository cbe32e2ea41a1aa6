//! Reusable view pieces.
pub mod access_grid;
pub mod assumptions_editor;
pub mod cell_detail;
pub mod erd_canvas;
pub mod side_by_side;
pub mod source;
pub mod virtual_rows;

pub use source::SourceView;
pub use virtual_rows::VirtualRows;
