//! Browser end-to-end harness: serves the built `dist/` from a tiny static server on a free
//! loopback port, starts `chromedriver` on another, and drives headless Chromium with fantoccini.
//! Everything started here is stopped by `Drop` guards, also when a test fails.
//!
//! `dist/` must be built first (`trunk build --release`, see scripts/); without it the tests fail
//! with a message saying so. `PGLENS_DIST` points elsewhere if needed.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use fantoccini;

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `../shared` next to the workspace root (the corpus lives there).
pub fn shared_dir() -> PathBuf {
    workspace_root().join("../shared")
}

/// The built app. Panics with instructions when it is missing.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("PGLENS_DIST").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("dist"));
    let ok = dir.join("index.html").is_file() && dir.join("worker_loader.js").is_file();
    assert!(
        ok,
        "{} does not hold a built app (index.html + worker_loader.js). Build it first from the \
         repository root: `trunk build --release` (tools: scripts/setup.sh), then run the e2e tests.",
        dir.display()
    );
    dir
}

/// Where screenshots and scratch files go: `<root>/target/e2e`.
pub fn out_dir() -> PathBuf {
    let d = workspace_root().join("target/e2e");
    std::fs::create_dir_all(&d).expect("create target/e2e");
    d
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

/// A minimal static file server for `dist/` (GET/HEAD, correct MIME types for wasm and JS).
pub struct StaticServer {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        StaticServer::start_mounted(vec![("/".into(), root)])
    }

    /// Serves each directory under its URL prefix (`/reports/pglens/` → `dist/`); the longest
    /// prefix that matches a request wins.
    pub fn start_mounted(mut mounts: Vec<(String, PathBuf)>) -> StaticServer {
        mounts.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        let mounts = Arc::new(mounts);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the static server");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(conn) = conn {
                    let mounts = mounts.clone();
                    std::thread::spawn(move || {
                        let _ = serve_one(conn, &mounts);
                    });
                }
            }
        });
        StaticServer { addr, stop, thread: Some(thread) }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wake the accept loop
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A stand-in for the network: Chromium started with [`Recorder::proxy_args`] sends every request
/// for another origin here (loopback is not proxied, unless `offline`), and each is recorded and
/// answered 502. What a page asked of the outside world is then [`Recorder::seen`].
pub struct Recorder {
    pub port: u16,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Recorder {
    pub fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the recorder");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, flag) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let mut line = String::new();
                let _ = BufReader::new(&conn).read_line(&mut line);
                log.lock().unwrap().push(line.trim_end().to_string());
                let _ = conn.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Recorder { port, seen, stop, thread: Some(thread) }
    }

    /// Browser switches that route requests through the recorder: those for other hosts, or with
    /// `offline` every request (loopback too), as if the machine had no network at all.
    pub fn proxy_args(&self, offline: bool) -> Vec<String> {
        // Autofill's form lookups and the network clock are the browser's, not the page's.
        let mut args = vec![
            format!("--proxy-server=http://127.0.0.1:{}", self.port),
            "--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints".into(),
        ];
        if offline {
            args.push("--proxy-bypass-list=<-loopback>".into());
        }
        args
    }

    /// The request lines received so far (`GET http://host/path HTTP/1.1`, `CONNECT host:443 ..`),
    /// but for Chromium's own service traffic: Debian's build ships Google API keys, so the
    /// browser itself checks for component updates, signs nobody in and asks for the time, with
    /// any page open (about:blank too) and whatever the switches. No page causes those.
    pub fn seen(&self) -> Vec<String> {
        const BROWSER_SERVICES: &[&str] =
            &["update.googleapis.com", "accounts.google.com", "clients1.google.com", "clients2.google.com", "redirector.gvt1.com"];
        let host = |line: &str| {
            let target = line.split_whitespace().nth(1).unwrap_or("");
            let rest = target.split_once("://").map_or(target, |(_, r)| r);
            rest.split(['/', ':']).next().unwrap_or("").to_string()
        };
        self.seen.lock().unwrap().iter().filter(|l| !BROWSER_SERVICES.contains(&host(l).as_str())).cloned().collect()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The `pglens` command line built beside this test binary (`cargo build -p pglens-cli`, which
/// scripts/test.sh runs before these tests).
pub fn cli_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let bin =
        exe.parent().and_then(Path::parent).expect("target/<profile>/deps/..").join(format!("pglens{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "{} is missing: run `cargo build -p pglens-cli` first (scripts/test.sh does)", bin.display());
    bin
}

/// Runs `pglens` with `args` in `target/e2e` (so no ./pglens.toml is picked up); its stdout.
pub fn run_cli(args: &[&str]) -> Vec<u8> {
    let out = Command::new(cli_bin()).args(args).current_dir(out_dir()).output().expect("run pglens");
    assert!(out.status.success(), "pglens {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "sql" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve_one(mut conn: TcpStream, mounts: &[(String, PathBuf)]) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some((prefix, root)) = mounts.iter().find(|(prefix, _)| path.starts_with(prefix.as_str())) else {
        let head = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return conn.write_all(head.as_bytes());
    };
    let rel = path[prefix.len()..].trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    let file = root.join(&rel);
    let safe = !rel.split('/').any(|c| c == "..");
    let (status, body, ctype) = match (safe, std::fs::File::open(&file)) {
        (true, Ok(mut f)) if file.is_file() => {
            let mut b = Vec::new();
            f.read_to_end(&mut b)?;
            ("200 OK", b, mime(&file))
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes())?;
    if method != "HEAD" {
        conn.write_all(&body)?;
    }
    conn.flush()
}

/// `chromedriver --port=N`, killed on drop.
pub struct Chromedriver {
    pub port: u16,
    child: Child,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        let port = free_port();
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e} (apt-get install chromium-driver; scripts/setup.sh does)"));
        let driver = Chromedriver { port, child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running app: server + driver + browser session. Drop order: session first (closed
/// explicitly in `finish`, or dropped), then driver, then server.
pub struct App {
    pub client: Client,
    pub base: String,
    caps: serde_json::Map<String, serde_json::Value>,
    driver: Arc<Chromedriver>,
    /// `None` for a browser on a `file://` page ([`App::open_url`]).
    server: Option<Arc<StaticServer>>,
}

impl App {
    pub async fn open() -> App {
        App::open_with(&[]).await
    }

    /// Opens the app in a browser started with `extra` command-line switches besides the usual
    /// headless ones (e.g. frame-rate switches for a frame-time measurement).
    pub async fn open_with(extra: &[&str]) -> App {
        App::open_served(StaticServer::start(dist_dir()), "", extra).await
    }

    /// Opens `path` (relative to the server's root URL) of `server` in a new browser.
    pub async fn open_served(server: StaticServer, path: &str, extra: &[&str]) -> App {
        let base = server.url();
        let mut app = App::open_url(&format!("{base}{path}"), extra).await;
        app.base = base;
        app.server = Some(Arc::new(server));
        app
    }

    /// A new browser (with `extra` switches) at any `url`, say a `file://` report; no server.
    pub async fn open_url(url: &str, extra: &[&str]) -> App {
        let driver = Chromedriver::start();
        let mut caps = serde_json::Map::new();
        let mut args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,900",
            "--force-device-scale-factor=1",
        ];
        args.extend_from_slice(extra);
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": args
            }),
        );
        let client = session(&caps, driver.port).await;
        client.goto(url).await.expect("open the url");
        App { client, base: String::new(), caps, driver: Arc::new(driver), server: None }
    }

    /// A second browser session (no shared state but the server), at `url`.
    pub async fn another(&self, url: &str) -> App {
        let client = session(&self.caps, self.driver.port).await;
        client.goto(url).await.expect("open the url");
        App { client, base: self.base.clone(), caps: self.caps.clone(), driver: self.driver.clone(), server: self.server.clone() }
    }

    /// Opens the app (with `extra` browser switches, see [`App::open_with`]) and loads one file of
    /// the shared corpus (`rel` under `shared/corpus/`) in place of the sample.
    pub async fn open_corpus(rel: &str, extra: &[&str], timeout: Duration) -> App {
        let path = shared_dir().join("corpus").join(rel);
        assert!(path.is_file(), "missing {}", path.display());
        let app = App::open_with(extra).await;
        app.wait_loaded("(sample)", timeout).await;
        app.upload(std::slice::from_ref(&path)).await;
        app.wait_loaded(&path.file_name().unwrap().to_string_lossy(), timeout).await;
        app
    }

    pub async fn finish(self) {
        let _ = self.client.close().await;
    }

    /// Waits until `css` exists.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> fantoccini::elements::Element {
        match self.client.wait().at_most(timeout).every(Duration::from_millis(100)).for_element(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => {
                self.screenshot("failure").await;
                panic!("no element `{css}` after {timeout:?}: {e}");
            }
        }
    }

    /// Polls a JS expression until it returns something truthy; returns that value.
    pub async fn wait_js(&self, what: &str, expr: &str, timeout: Duration) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.client.execute(&format!("return ({expr});"), vec![]).await.expect("execute script");
            let truthy = !matches!(&v, serde_json::Value::Null | serde_json::Value::Bool(false))
                && v != serde_json::json!(0)
                && v != serde_json::json!("");
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                self.screenshot("failure").await;
                panic!("timed out after {timeout:?} waiting for {what} ({expr})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn js(&self, expr: &str) -> serde_json::Value {
        self.client.execute(&format!("return ({expr});"), vec![]).await.expect("execute script")
    }

    /// Text of the first element matching `css`, or "" when there is none.
    pub async fn text(&self, css: &str) -> String {
        let sel = serde_json::to_string(css).unwrap();
        self.js(&format!("(document.querySelector({sel}) || {{}}).textContent || ''")).await.as_str().unwrap_or("").to_string()
    }

    /// The number shown on the overview card `data-count=<key>`.
    pub async fn count(&self, key: &str) -> u64 {
        let t = self.text(&format!("[data-count={key}] .num")).await;
        t.trim().parse().unwrap_or_else(|_| panic!("card {key} shows {t:?}, not a number"))
    }

    /// Selects `paths` (absolute) in the app's file input: they load together.
    pub async fn upload(&self, paths: &[PathBuf]) {
        let input = self.client.find(Locator::Css("#file-input")).await.expect("the file input");
        let list = paths.iter().map(|p| p.canonicalize().expect("upload path exists").display().to_string()).collect::<Vec<_>>();
        input.send_keys(&list.join("\n")).await.expect("send the file paths");
    }

    /// Waits until the loaded files shown in the top bar contain `name` and no load is running.
    pub async fn wait_loaded(&self, name: &str, timeout: Duration) {
        let n = serde_json::to_string(name).unwrap();
        self.wait_js(
            &format!("{name} loaded"),
            &format!(
                "!document.querySelector('#progress') && ((document.querySelector('#loaded-files')||{{}}).textContent||'').includes({n})"
            ),
            timeout,
        )
        .await;
    }

    pub async fn goto_hash(&self, hash: &str) {
        let h = serde_json::to_string(hash).unwrap();
        self.js(&format!("(location.hash = {h}, true)")).await;
    }

    /// Makes the page keep every Blob handed to `URL.createObjectURL` (what a download saves).
    pub async fn capture_downloads(&self) {
        self.js("(() => { if (!window.__blobs) { window.__blobs = []; const orig = URL.createObjectURL; \
             URL.createObjectURL = b => { window.__blobs.push(b); return orig.call(URL, b); }; } return true; })()")
            .await;
    }

    /// The `n`th captured download with its type: text, or a JSON array of its bytes.
    pub async fn downloaded(&self, n: usize, text: bool) -> (String, serde_json::Value) {
        self.wait_js("a download", &format!("(window.__blobs || []).length > {n}"), Duration::from_secs(60)).await;
        let read = if text { "b.text()" } else { "b.arrayBuffer().then(a => Array.from(new Uint8Array(a)))" };
        let v = self
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1]; const b = window.__blobs[{n}]; {read}.then(t => done([b.type, t]));"
                ),
                vec![],
            )
            .await
            .expect("read the blob");
        (v[0].as_str().unwrap().to_string(), v[1].clone())
    }

    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = out_dir().join(format!("{name}.png"));
        match self.client.screenshot().await {
            Ok(png) => {
                std::fs::write(&path, png).expect("write screenshot");
                eprintln!("screenshot: {}", path.display());
            }
            Err(e) => eprintln!("screenshot {name} failed: {e}"),
        }
        path
    }
}

async fn session(caps: &serde_json::Map<String, serde_json::Value>, port: u16) -> Client {
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps.clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

/// The e2e tests share one machine's two cores: run them one at a time (a test that panics
/// releases the lock as its runtime unwinds).
pub async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}
