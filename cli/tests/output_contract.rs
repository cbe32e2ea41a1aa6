//! What CI relies on beyond each command's content: the same input gives byte-identical output
//! in every format (each run is a new process, so a hash map's random order or a clock would
//! show), plain text unless colour is asked for or stdout is a terminal, and a progress line on
//! stderr only for a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> String {
    root().join("fixtures/dumps").join(name).to_string_lossy().into_owned()
}

/// A corpus file, or `None` when ../shared is not beside the clone.
fn corpus(rel: &str) -> Option<String> {
    let p = root().join("../shared/corpus").join(rel);
    p.is_file().then(|| p.to_string_lossy().into_owned())
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pglens"));
    c.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run pglens")
}

/// Runs `args` twice, in two processes, and asserts the outputs are the same bytes.
fn same_twice(args: &[&str]) -> Vec<u8> {
    let (a, b) = (run(args, &[]), run(args, &[]));
    assert!(a.status.code().is_some_and(|c| c <= 1), "pglens {args:?}: {}", String::from_utf8_lossy(&a.stderr));
    assert!(!a.stdout.is_empty(), "pglens {args:?} printed nothing");
    assert!(a.stdout == b.stdout, "pglens {args:?}: two runs differ");
    a.stdout
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    let mut inputs = vec![fixture("saas.sql"), fixture("kitchen_sink.sql"), fixture("hostile.sql")];
    inputs.extend(corpus("supabase/devhunt/dump_2023-10-02.sql"));
    inputs.extend(corpus("supabase/otu/dump_2026-01-31.sql"));
    let mut runs = 0;
    for input in &inputs {
        for format in ["text", "json"] {
            same_twice(&["inspect", input, "--format", format]);
        }
        for format in ["text", "json", "csv", "md"] {
            same_twice(&["access", input, "--format", format]);
        }
        for format in ["text", "json", "sarif", "md"] {
            same_twice(&["check", input, "--format", format, "--fail-on", "none"]);
        }
        same_twice(&["erd", input]);
        same_twice(&["report", input]);
        runs += 12;
    }
    let pairs = [(fixture("saas.sql"), fixture("saas_staging.sql")), (fixture("hostile.sql"), fixture("saas.sql"))]
        .into_iter()
        .chain(corpus("supabase/otu/dump_2026-01-30.sql").zip(corpus("supabase/otu/dump_2026-01-31.sql")));
    for (a, b) in pairs {
        for format in ["text", "json", "md", "sarif"] {
            same_twice(&["diff", &a, &b, "--format", format, "--fail-on", "none"]);
        }
        same_twice(&["report", &a, "--compare", &b]);
        runs += 5;
    }
    assert!(runs >= 60, "{runs} commands compared");
}

#[test]
fn no_clock_in_any_output() {
    // The year pglens runs in appears in no output (the fixtures hold no dates of this century's
    // third decade beyond pg_dump's own header, which outputs never quote).
    let year = String::from_utf8(Command::new("date").arg("+%Y").output().expect("date").stdout).unwrap();
    let year = year.trim();
    let saas = fixture("saas.sql");
    for args in [
        vec!["check", &saas, "--format", "sarif", "--fail-on", "none"],
        vec!["check", &saas, "--format", "md", "--fail-on", "none"],
        vec!["report", &saas],
        vec!["erd", &saas],
    ] {
        let out = String::from_utf8(same_twice(&args)).unwrap();
        let text = std::fs::read_to_string(&saas).unwrap();
        if !text.contains(year) {
            assert!(!out.contains(&format!("{year}-")), "pglens {args:?} prints a date");
        }
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let saas = fixture("saas.sql");
    let staging = fixture("saas_staging.sql");
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    // A pipe (as here, and in CI logs): plain.
    assert!(!esc(&run(&["check", &saas], &[])));
    assert!(!esc(&run(&["diff", &saas, &staging], &[])));
    // Asked for: coloured priorities; never: plain, even on a terminal.
    let always = run(&["check", &saas, "--color", "always"], &[]);
    assert!(String::from_utf8_lossy(&always.stdout).contains("\x1b[1;31mP0\x1b[0m"));
    assert!(esc(&run(&["diff", &saas, &staging, "--color=always"], &[])));
    // Machine formats never carry colour.
    assert!(!esc(&run(&["check", &saas, "--color", "always", "--format", "json"], &[])));
    let bad = run(&["check", &saas, "--color", "sometimes"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--color takes auto, always or never"));

    // On a terminal (util-linux's `script` gives the command one): colour, unless NO_COLOR.
    let bin = env!("CARGO_BIN_EXE_pglens");
    let tty = |env: &str| {
        let cmd = format!("{env} {bin} check {saas}");
        let o =
            Command::new("script").args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR").output().expect("script(1) from util-linux");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(tty("").contains("\x1b[1;31mP0"), "a terminal gets colour");
    assert!(!tty("NO_COLOR=1").contains('\x1b'), "NO_COLOR turns it off");
}

#[test]
fn a_progress_line_for_big_inputs_on_a_terminal_only() {
    let Some(gitlab) = corpus("gitlab/structure.sql") else {
        panic!("../shared/corpus/gitlab/structure.sql is missing: the progress line needs a big input");
    };
    let piped = run(&["inspect", &gitlab], &[]);
    assert!(piped.stderr.is_empty(), "no progress into a pipe: {}", String::from_utf8_lossy(&piped.stderr));
    let bin = env!("CARGO_BIN_EXE_pglens");
    // stdout to /dev/null, stderr on the terminal.
    let cmd = format!("{bin} inspect {gitlab} > /dev/null");
    let o = Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().expect("script(1) from util-linux");
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("pglens: loading ") && shown.contains("statements"), "{shown}");
    assert!(shown.ends_with("\r\x1b[2K") || shown.trim_end().ends_with("\x1b[2K"), "the line is cleared at the end: {shown:?}");
    // A small input loads too fast to need one.
    let cmd = format!("{bin} inspect {} > /dev/null", fixture("saas.sql"));
    let o = Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().expect("script");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("loading"));
}
