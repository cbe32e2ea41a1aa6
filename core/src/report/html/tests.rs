use super::*;
use crate::config::Config;
use crate::{load_files, InputFile};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture(name: &str) -> PathBuf {
    root().join("../fixtures/dumps").join(name)
}

fn load(path: &Path) -> Loaded {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    load_files(&[InputFile { name: path.file_name().expect("name").to_string_lossy().into(), bytes }])
}

/// What `pglens report` computes, from the default config.
fn report(main: &Loaded, compare: Option<&Loaded>) -> String {
    super::report(main, compare, &Config::default())
}

/// The elements the report is made of: anything else in the markup came from a dump.
const ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section", "h1", "h2", "h3", "h4", "p", "a", "div", "span",
    "b", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "ul", "li",
];

/// Parses the report as XML (it is well-formed by construction) and checks that it is inert:
/// only the report's own elements, no event handler, no source, every link in-page, one
/// stylesheet with no URL in it, and the raw text holds no tag the report did not write.
fn check<'a>(html: &'a str, name: &str) -> roxmltree::Document<'a> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(html, options).unwrap_or_else(|e| panic!("{name}: not well-formed: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "html");
    let mut styles = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(ELEMENTS.contains(&tag), "{name}: element <{tag}>");
        for a in n.attributes() {
            let (k, v) = (a.name(), a.value());
            assert!(
                !k.starts_with("on") && k != "src" && k != "style" && k != "srcdoc" && k != "action",
                "{name}: attribute {k}={v:?} on <{tag}>"
            );
            assert!(!v.to_ascii_lowercase().contains("javascript:") && !v.contains("//"), "{name}: attribute {k}={v:?}");
            if k == "href" {
                assert!(v.starts_with('#'), "{name}: link {v:?}");
            }
        }
        if tag == "style" {
            styles += 1;
            let css = n.text().unwrap_or_default();
            assert!(!css.contains("url(") && !css.contains("@import") && !css.contains("//"), "{name}: the stylesheet names a resource");
        }
        if tag == "meta" && n.attribute("http-equiv") == Some("Content-Security-Policy") {
            assert!(n.attribute("content").is_some_and(|c| c.starts_with("default-src 'none';")));
        }
    }
    assert_eq!(styles, 1, "{name}: one stylesheet");
    assert!(doc.descendants().any(|n| n.attribute("http-equiv") == Some("Content-Security-Policy")), "{name}: a CSP");
    // Raw text: every `<` opens one of the report's own tags (or the doctype).
    for (i, _) in html.match_indices('<') {
        let rest = &html[i + 1..];
        if rest.starts_with("!DOCTYPE html>") {
            continue;
        }
        let tag: String = rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(ELEMENTS.contains(&tag.as_str()), "{name}: raw `<{}`", &rest[..rest.len().min(40)]);
    }
    assert!(!html.to_ascii_lowercase().contains("<script"), "{name}: a script tag");
    assert_eq!(html.matches("</style>").count(), 1, "{name}: </style> only closes the stylesheet");
    doc
}

#[test]
fn every_fixture_renders_inert_well_formed_html() {
    let mut dumps: Vec<PathBuf> = std::fs::read_dir(root().join("../fixtures/dumps"))
        .expect("fixtures/dumps")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    dumps.sort();
    assert!(dumps.len() >= 6, "{} fixtures", dumps.len());
    for path in &dumps {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let l = load(path);
        let html = report(&l, None);
        let doc = check(&html, &name);
        for id in ["summary", "findings", "access", "inventory", "assumptions", "files"] {
            assert!(doc.descendants().any(|n| n.attribute("id") == Some(id)), "{name}: no #{id}");
        }
        let sha = l.snapshot.files[0].sha256.as_deref().expect("hashed");
        assert!(html.contains(sha), "{name}: the file's SHA-256");
        assert!(html.contains(&format!("pglens {VERSION}")), "{name}: the version");
        println!("{name}: {} bytes", html.len());
    }
}

#[test]
fn hostile_identifiers_render_as_text() {
    let l = load(&fixture("hostile.sql"));
    let html = report(&l, Some(&load(&fixture("saas.sql"))));
    let doc = check(&html, "hostile");
    assert!(html.contains("&lt;script&gt;alert(&apos;schema&apos;)&lt;/script&gt;"), "the schema name, escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(&apos;table&apos;)&gt;"), "the table name, escaped");
    assert!(html.contains("&lt;/style&gt;"), "a column name with </style>, escaped");
    // And a browser would show them as the dump spells them.
    let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
    for shown in
        ["<script>alert('schema')</script>.<img src=x onerror=alert('table')>", "<script>alert('policy')</script>", "javascript:alert(1)"]
    {
        assert!(texts.contains(shown), "{shown} shown as text");
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (a, b) = (load(&fixture("saas.sql")), load(&fixture("saas_staging.sql")));
    let first = report(&a, Some(&b));
    let again = report(&load(&fixture("saas.sql")), Some(&load(&fixture("saas_staging.sql"))));
    assert_eq!(first, again);
    assert!(!first.contains("generated at"), "no timestamp unless asked for");
}

#[test]
fn files_are_named_without_their_directories() {
    let named = |name: &str| {
        let bytes = std::fs::read(fixture("saas.sql")).expect("read saas.sql");
        load_files(&[InputFile { name: name.into(), bytes }])
    };
    let plain = report(&named("saas.sql"), None);
    assert_eq!(report(&named("/home/someone/dumps/saas.sql"), None), plain, "the app knows only a file's own name");
    assert_eq!(report(&named(r"C:\dumps\saas.sql"), None), plain);
    assert!(!report(&named("zq-private-dir/saas.sql"), None).contains("zq-private-dir"));
}

#[test]
fn saas_with_compare_has_every_section_and_the_drift() {
    let (a, b) = (load(&fixture("saas.sql")), load(&fixture("saas_staging.sql")));
    let html = report(&a, Some(&b));
    let doc = check(&html, "saas+compare");
    for id in [
        "summary",
        "findings",
        "p0",
        "p1",
        "p2",
        "access",
        "drift",
        "drift-p0",
        "inventory",
        "inv-tables",
        "inv-policies",
        "assumptions",
        "files",
    ] {
        assert!(doc.descendants().any(|n| n.attribute("id") == Some(id)), "no #{id}");
    }
    let drift_p0 = doc.descendants().find(|n| n.attribute("id") == Some("drift-p0")).unwrap();
    assert!(drift_p0.descendants().filter_map(|n| n.text()).collect::<String>().contains("(4)"), "4 P0 drift entries");
    assert!(html.contains("saas_staging.sql"), "B's file named");
    // Two sides: both files with their hashes.
    for l in [&a, &b] {
        assert!(html.contains(l.snapshot.files[0].sha256.as_deref().unwrap()));
    }
    let plain = report(&a, None);
    assert!(!plain.contains("id=\"drift\""), "no drift section without a compare snapshot");
    println!("saas: {} bytes; saas+compare: {} bytes", plain.len(), html.len());
}

#[test]
fn gitlab_report_is_small_enough_to_attach() {
    let path = root().join("../../shared/corpus/gitlab/structure.sql");
    if !path.exists() {
        eprintln!("{} not found: GitLab report test skipped", path.display());
        return;
    }
    let l = load(&path);
    let html = report(&l, None);
    check(&html, "gitlab");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, html.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    println!("gitlab report: {} bytes, {} gzipped", html.len(), gz.len());
    assert!(html.len() < 5_000_000, "GitLab's report is {} bytes", html.len());
}
