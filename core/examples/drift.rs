//! `cargo run --example drift -- A B`: the drift report as JSON, for looking at by hand.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let load = |p: &str| pglens_core::load_files(&[pglens_core::InputFile { name: p.into(), bytes: std::fs::read(p).expect("readable") }]).snapshot;
    let (a, b) = (load(&args[0]), load(&args[1]));
    let options = pglens_core::diff::Options::for_snapshots(&a, &b);
    let t = std::time::Instant::now();
    let d = pglens_core::diff::diff(&a, &b, &options);
    eprintln!("diff in {:?}", t.elapsed());
    for c in &d.changes {
        let from = c.from_key.as_deref().map(|f| format!(" (from {f})")).unwrap_or_default();
        println!("{:?} {} {} {}{from}: {}", c.priority, c.kind.as_str(), c.change.as_str(), c.key, c.reason);
        for f in &c.fields {
            let cut = |s: &Option<String>| s.as_deref().map(|s| s.chars().take(80).collect::<String>().replace('\n', "⏎")).unwrap_or("-".into());
            println!("    {}: {} → {}", f.field, cut(&f.a), cut(&f.b));
        }
    }
}
