//! A scratch PostgreSQL for the fidelity test, driven through `scripts/pg.sh` (the one place that
//! knows how to run initdb/pg_ctl as the right OS user on a free loopback port). Dropping the
//! [`Cluster`] stops the server and deletes its directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Cluster {
    pub script: PathBuf,
    pub dir: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// Starts a cluster in a fresh directory, or explains why it could not.
    pub fn start(root: &Path) -> Result<Cluster, String> {
        let script = root.join("scripts/pg.sh");
        if !script.exists() {
            return Err(format!("{} not found", script.display()));
        }
        // One directory per cluster: several tests of one binary may each start their own.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("pglens-fidelity-{}-{n}", std::process::id()));
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        // From here on a guard exists, so a half-started cluster is still cleaned up.
        let mut cluster = Cluster { script, dir, port: 0 };
        if !out.status.success() {
            return Err(format!(
                "scripts/pg.sh start failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        cluster.port =
            stdout.trim().lines().last().unwrap_or("").trim().parse().map_err(|_| format!("pg.sh start printed no port: {stdout:?}"))?;
        let roles = cluster.pg_sh(&["roles"], &[])?;
        if !roles.status.success() {
            return Err(format!("scripts/pg.sh roles failed: {}", String::from_utf8_lossy(&roles.stderr)));
        }
        Ok(cluster)
    }

    fn pg_sh(&self, sub: &[&str], psql_args: &[&str]) -> Result<Output, String> {
        let mut cmd = Command::new("bash");
        cmd.arg(&self.script).arg(sub[0]).arg(&self.dir);
        if !psql_args.is_empty() {
            cmd.arg("--").args(psql_args);
        }
        cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run pg.sh: {e}"))
    }

    /// Runs psql with the given arguments (as superuser `postgres`).
    pub fn psql(&self, args: &[&str]) -> Result<Output, String> {
        self.pg_sh(&["psql"], args)
    }

    /// Runs pg_dump with the given arguments (as superuser `postgres`).
    pub fn pg_dump(&self, args: &[&str]) -> Result<Output, String> {
        self.pg_sh(&["pg_dump"], args)
    }

    /// Drops and creates `db`.
    pub fn fresh_database(&self, db: &str) -> Result<(), String> {
        let drop = format!("DROP DATABASE IF EXISTS \"{db}\"");
        let create = format!("CREATE DATABASE \"{db}\" TEMPLATE template0 ENCODING 'UTF8'");
        let out = self.psql(&[
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            "postgres",
            "-c",
            "SET client_min_messages = warning",
            "-c",
            &drop,
            "-c",
            &create,
        ])?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("cannot create database {db}: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// Runs a SQL file in `db`; returns the ERROR lines psql printed (empty when all went well).
    pub fn run_file(&self, db: &str, file: &Path, stop_on_error: bool) -> Result<Vec<String>, String> {
        let path = file.to_string_lossy();
        let stop = if stop_on_error { "ON_ERROR_STOP=1" } else { "ON_ERROR_STOP=0" };
        let out = self.psql(&["-q", "-v", stop, "-d", db, "-f", &path])?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<String> = stderr.lines().filter(|l| l.contains("ERROR:")).map(str::to_string).collect();
        if !out.status.success() && errors.is_empty() {
            return Err(format!("psql -f {path} failed: {stderr}"));
        }
        Ok(errors)
    }

    /// Runs a query file that prints one JSON document.
    pub fn query_json(&self, db: &str, file: &Path) -> Result<serde_json::Value, String> {
        self.query_json_with(db, file, &[])
    }

    /// Runs a query file that prints one JSON document, with psql variables (`-v name=value`, read
    /// in the file as `:'name'`).
    pub fn query_json_with(&self, db: &str, file: &Path, vars: &[(&str, &str)]) -> Result<serde_json::Value, String> {
        let path = file.to_string_lossy();
        let vars: Vec<String> = vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut args = vec!["-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", &path];
        for v in &vars {
            args.extend(["-v", v.as_str()]);
        }
        let out = self.psql(&args)?;
        if !out.status.success() {
            return Err(format!("query {path} failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        serde_json::from_slice(&out.stdout).map_err(|e| format!("query {path} printed invalid JSON: {e}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(&self.script).arg("stop").arg(&self.dir).stdin(Stdio::null()).output();
    }
}
