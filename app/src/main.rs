//! Entry point of the pglens browser app; everything lives in the library crate.
fn main() {
    pglens_app::run();
}
