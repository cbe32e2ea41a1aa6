//! What every command shares: its arguments, reading the files, the config, and the load.

use pglens_core::config::Config;
use pglens_core::{fingerprint, load_with_sources, InputFile, Loaded};
use std::process::ExitCode;

/// A command's parsed arguments: files, `--format`, `--config`, and the command's own options.
pub struct Args {
    pub command: &'static str,
    pub format: String,
    pub paths: Vec<String>,
    pub config: Option<String>,
    /// The command's own options that take a value (`--role R`), in the order given.
    pub options: Vec<(String, String)>,
    /// The command's own switches given (`--views`).
    pub flags: Vec<String>,
}

/// Why a command stops before it starts: print nothing more, exit with this code.
pub type Stop = ExitCode;

pub fn usage_error(command: &str, message: &str) -> Stop {
    eprintln!("pglens {command}: {message}");
    ExitCode::from(2)
}

impl Args {
    /// `formats[0]` is the default; `value_options` are the command's own `--name VALUE` options.
    pub fn parse(command: &'static str, args: &[String], formats: &[&str], value_options: &[&str]) -> Result<Args, Stop> {
        Args::parse_with_flags(command, args, formats, value_options, &[])
    }

    /// [`Args::parse`] for a command that also has switches, options without a value.
    pub fn parse_with_flags(
        command: &'static str,
        args: &[String],
        formats: &[&str],
        value_options: &[&str],
        flags: &[&str],
    ) -> Result<Args, Stop> {
        let mut out = Args { command, format: formats[0].to_string(), paths: vec![], config: None, options: vec![], flags: vec![] };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            let takes_value = name == "--format" || name == "--config" || value_options.contains(&name);
            if takes_value {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    return Err(usage_error(command, &format!("{name} needs a value")));
                };
                match name {
                    "--format" if !formats.contains(&value.as_str()) => {
                        return Err(usage_error(command, &format!("--format takes {}, got {value}", formats.join(" or "))));
                    }
                    "--format" => out.format = value,
                    "--config" => out.config = Some(value),
                    _ => out.options.push((name.to_string(), value)),
                }
                continue;
            }
            match name {
                f if flags.contains(&f) && inline.is_none() => out.flags.push(f.to_string()),
                "-h" | "--help" => {
                    print!("{}", crate::help::command(command).unwrap_or_else(crate::help::general));
                    return Err(ExitCode::SUCCESS);
                }
                s if s.starts_with('-') && s != "-" => return Err(usage_error(command, &format!("unknown option {s}"))),
                _ => out.paths.push(a.clone()),
            }
        }
        if out.paths.is_empty() {
            return Err(usage_error(command, "give at least one FILE (see pglens --help)"));
        }
        Ok(out)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// `--color` (a value option of the commands that colour their text format).
    pub fn paint(&self) -> Result<crate::paint::Paint, Stop> {
        crate::paint::Paint::from_option(self.option("--color")).map_err(|e| usage_error(self.command, &e))
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// `--config FILE`, else `./pglens.toml` when there is one, else the defaults.
    pub fn config(&self) -> Result<Config, Stop> {
        let (path, explicit) = match &self.config {
            Some(p) => (p.clone(), true),
            None => ("pglens.toml".to_string(), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if explicit || e.kind() != std::io::ErrorKind::NotFound => {
                return Err(usage_error(self.command, &format!("cannot read {path}: {e}")));
            }
            Err(_) => return Ok(Config::default()),
        };
        Config::parse(&text).map_err(|e| usage_error(self.command, &format!("{path}:{e}")))
    }

    /// The config, then the snapshot: what every analysing command starts from.
    pub fn config_and_load(&self) -> Result<(Config, Loaded), Stop> {
        let config = self.config()?;
        Ok((config, self.load()?))
    }

    /// Every value given to a repeatable option (`--ignore a --ignore b`), in order.
    pub fn option_values(&self, name: &str) -> Vec<&str> {
        self.options.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Reads every file (`-` is stdin) and loads them as one snapshot.
    pub fn load(&self) -> Result<Loaded, Stop> {
        load_paths(self.command, &self.paths)
    }
}

/// Reads `paths` (`-` is stdin) and loads them as one snapshot, in order: the one place the CLI
/// reads input files. A file that cannot be read stops the command (exit 2) before anything loads.
pub fn load_paths(command: &str, paths: &[String]) -> Result<Loaded, Stop> {
    let mut files = Vec::new();
    for p in paths {
        let bytes = if p == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
        } else {
            std::fs::read(p)
        };
        match bytes {
            Ok(bytes) => files.push(InputFile { name: p.clone(), bytes }),
            Err(e) => return Err(usage_error(command, &format!("cannot read {p}: {e}"))),
        }
    }
    // Deep (but accepted) expression trees recurse deeply while decoded and deparsed: give the
    // load a generous stack, reserved only as it is touched.
    let total = files.iter().map(|f| f.bytes.len() as u64).sum();
    let progress = crate::progress::Line::for_input(files.iter().map(|f| f.name.clone()).collect(), total);
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut progress = progress;
            let (mut loaded, sources) = load_with_sources(files, &mut |p| {
                if let Some(line) = &mut progress {
                    line.update(&p);
                }
                true
            });
            if let Some(line) = progress {
                line.finish();
            }
            fingerprint(&mut loaded.snapshot.files, &sources);
            loaded
        })
        .and_then(|h| h.join().map_err(|_| std::io::Error::other("the loader panicked")))
        .map_err(|e| usage_error(command, &e.to_string()))
}

/// Ends a command after writing its output: a closed pipe (`| head`) is not an error.
pub fn finish(command: &str, written: std::io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pglens {command}: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes a command's document to `-o FILE` (`--output`), or to stdout when none (or `-`) is given.
pub fn emit(args: &Args, text: &str) -> ExitCode {
    match args.option("-o").or(args.option("--output")) {
        Some(path) if path != "-" => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => usage_error(args.command, &format!("cannot write {path}: {e}")),
        },
        _ => finish(args.command, std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())),
    }
}
