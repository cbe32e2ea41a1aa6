//! Loads files once and prints the summary: a profiling target (`valgrind --tool=callgrind`).
fn main() {
    let files: Vec<_> =
        std::env::args().skip(1).map(|p| pglens_core::InputFile { bytes: std::fs::read(&p).expect("readable"), name: p }).collect();
    let t = std::time::Instant::now();
    let loaded = pglens_core::load_files(&files);
    eprintln!("{} statements in {:?}", loaded.summary.statements, t.elapsed());
}
