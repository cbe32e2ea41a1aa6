//! SARIF 2.1.0 (OASIS), the format code-scanning services read: one run, the rules as
//! `tool.driver.rules`, one result per finding with its location, a stable `partialFingerprints`
//! entry, and baselined findings as suppressed results.

use crate::checks::{rules, Finding, Priority};
use serde_json::{json, Value};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(p: Priority) -> &'static str {
    match p {
        Priority::P0 => "error",
        Priority::P1 => "warning",
        Priority::P2 => "note",
    }
}

/// A relative URI reference for a file name as given: reserved characters percent-encoded,
/// backslashes as slashes.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn report(findings: &[Finding], version: &str) -> Value {
    let rule_list: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let d = r.docs();
            let help = d.sections.iter().map(|(h, b)| format!("## {h}\n\n{b}")).collect::<Vec<_>>().join("\n\n");
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": d.title },
                "fullDescription": { "text": d.section("What it finds").unwrap_or(&d.title) },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(r.priority) },
                "properties": { "category": r.category.as_str(), "priority": r.priority.as_str(), "tags": [r.category.as_str()] }
            })
        })
        .collect();
    let index = |id: &str| rules::ALL.iter().position(|r| r.id == id);
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.rule,
                "level": level(f.priority),
                "message": { "text": f.message },
                "partialFingerprints": { "pglens/v1": f.fingerprint },
                "properties": { "priority": f.priority.as_str(), "category": f.category.as_str(), "object": f.object, "assumptions": f.assumptions }
            });
            if let Some(i) = index(&f.rule) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(l) = &f.location {
                r["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&l.file) },
                        "region": { "startLine": l.line.max(1), "startColumn": l.column.max(1) }
                    },
                    "logicalLocations": [{ "fullyQualifiedName": f.object }]
                }]);
            }
            if let Some(fix) = &f.fix {
                r["properties"]["fix"] = json!(fix);
            }
            if f.baselined {
                r["suppressions"] = json!([{ "kind": "external", "justification": "accepted in the pglens.toml baseline" }]);
            }
            r
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pglens",
                "version": version,
                "rules": rule_list
            } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}
