//! Reusable view pieces.
pub mod source;
pub mod virtual_rows;

pub use source::SourceView;
pub use virtual_rows::VirtualRows;
