//! Time of each check rule on an input: `cargo run --release -p pglens-core --example rule_times -- FILE`
//! (without FILE: the generated 1,000-table policy-heavy snapshot). For finding the slow rule.

#[path = "../benches/policy_heavy.rs"]
mod policy_heavy;

use pglens_core::checks::{self, rules, ChecksConfig, Context};
use std::time::Instant;

fn bytes_again() -> Vec<u8> {
    match std::env::args().nth(1) {
        Some(p) => std::fs::read(&p).expect("read the file"),
        None => policy_heavy::sql(1000).into_bytes(),
    }
}

fn main() {
    let bytes = bytes_again();
    let snap = pglens_core::load_files(&[pglens_core::InputFile { name: "input.sql".into(), bytes }]).snapshot;
    let assumptions = pglens_core::config::Config::default().assumptions_for(&snap);
    let config = ChecksConfig::default();
    let cx = Context::new(&snap, &assumptions, &config);
    let t = Instant::now();
    let _ = cx.cells("anon", "");
    println!("{:>8.1} ms  (access matrix, shared)", t.elapsed().as_secs_f64() * 1e3);
    let mut times: Vec<(f64, &str, usize)> = rules::ALL
        .iter()
        .map(|r| {
            let t = Instant::now();
            let n = checks::run_rule(&cx, r).len();
            (t.elapsed().as_secs_f64() * 1e3, r.id, n)
        })
        .collect();
    times.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    println!(
        "{:>8.1} ms  all rules (first parse of each expression goes to the first rule that asks)",
        times.iter().map(|t| t.0).sum::<f64>()
    );
    let t = Instant::now();
    let n = checks::run(&snap, &assumptions, &config).len();
    println!("{:>8.1} ms  checks::run from scratch ({n} findings)", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    drop(pglens_core::load_files(&[pglens_core::InputFile { name: "input.sql".into(), bytes: bytes_again() }]));
    println!("{:>8.1} ms  load of the same input", t.elapsed().as_secs_f64() * 1e3);
    for (ms, id, n) in times {
        println!("{ms:>8.1} ms  {id} ({n} findings)");
    }
}
