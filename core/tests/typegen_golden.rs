//! Golden test of the TypeScript generator on fixtures/dumps/typegen.sql (schemas `billing` and
//! `public`). fixtures/typegen/typegen.expected.ts was written by hand from the generator's
//! documented rules and checked line by line; each assertion below states one rule, with where
//! it comes from:
//! - "template": supabase/postgres-meta, `src/server/templates/typescript.ts` (what
//!   `supabase gen types typescript` runs);
//! - "snapshot": the template's expected output in postgres-meta's `test/server/typegen.ts`;
//! - "prettier": prettier 3 with `semi: false`, which the template formats its output with.
//! docs/typegen.md lists the rules and what we cannot know from a dump.

use pglens_core::typegen::{generate, Options};
use pglens_core::{load_files, InputFile};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn generated() -> String {
    let path = root().join("fixtures/dumps/typegen.sql");
    let l = load_files(&[InputFile { name: "typegen.sql".into(), bytes: std::fs::read(path).expect("fixture") }]);
    assert_eq!(l.summary.parse_errors, 0);
    generate(&l.snapshot, &Options { schemas: vec!["public".into(), "billing".into()], ..Default::default() })
}

/// The lines of the block that starts with the line `start` (at its indentation) and ends at
/// the next line with that indentation.
fn block<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| *l == start).unwrap_or_else(|| panic!("no line {start:?}"));
    let indent = start.len() - start.trim_start().len();
    let mut out = vec![lines[i]];
    for l in &lines[i + 1..] {
        out.push(l);
        if l.len() - l.trim_start().len() == indent {
            break;
        }
    }
    out
}

fn has(text: &str, start: &str, line: &str) {
    let b = block(text, start);
    assert!(b.contains(&line), "{line:?} not in the block {start:?}:\n{}", b.join("\n"));
}

#[test]
fn the_rules_hold_one_by_one() {
    let out = generated();
    // template: the Json type first, verbatim; `export type Database = {`.
    assert!(out.starts_with("export type Json =\n  | string\n  | number\n  | boolean\n  | null\n  | { [key: string]: Json | undefined }\n  | Json[]\n\nexport type Database = {\n"));
    // template: schemas sorted by name (localeCompare); no __InternalSupabase without a PostgREST version.
    assert!(out.find("  billing: {").unwrap() < out.find("  public: {").unwrap());
    assert!(!out.contains("__InternalSupabase: {"));

    let row = "        Row: {";
    let every = out.split("      every_type: {\n").nth(1).expect("every_type");
    // template: columns sorted by name (localeCompare), not by position.
    assert!(every.starts_with("        Row: {\n          addr: "), "{}", &every[..80]);
    // template type map: bool, ints, floats, numeric → number; text-like, date/time, uuid,
    // bytea, interval → string; json/jsonb → Json; anything else → unknown.
    for line in [
        "          b: boolean",
        "          i2: number | null",
        "          i4: number",
        "          i8: number | null",
        "          f4: number | null",
        "          f8: number | null",
        "          num: number | null",
        "          t: string",
        "          vc: string | null",
        "          ch: string | null",
        "          u: string | null",
        "          bin: string | null",
        "          d: string | null",
        "          tm: string | null",
        "          ttz: string | null",
        "          ts: string | null",
        "          tstz: string",
        // snapshot (newest): interval is a string.
        "          iv: string | null",
        "          j: Json | null",
        "          jb: Json",
        // template: money, inet, name and "char" are not mapped; `unknown` never gets `| null`.
        "          cash: unknown",
        "          ip: unknown",
        "          nm: unknown",
        "          char: unknown",
        // template: arrays of any dimension are `T[]`.
        "          ints: number[] | null",
        "          grid: string[] | null",
        // template: enums and composites of a generated schema by reference, also across schemas.
        "          m: Database[\"public\"][\"Enums\"][\"mood\"]",
        "          moods: Database[\"public\"][\"Enums\"][\"mood\"][] | null",
        "          price: Database[\"billing\"][\"Enums\"][\"currency\"] | null",
        "          addr: Database[\"public\"][\"CompositeTypes\"][\"address\"] | null",
        // template: a domain column has its base type; its NOT NULL makes the column not null.
        "          e: string",
        "          me: string | null",
        // prettier (quoteProps as-needed): keys quoted only when they are not identifiers.
        "          \"kebab-name\": string | null",
        "          \"Mixed Case\": string | null",
    ] {
        has(every, row, line);
    }
    let insert = "        Insert: {";
    // template: GENERATED ALWAYS identity is `?: never`; a default, BY DEFAULT identity or
    // nullability makes the field optional; a NOT NULL column without default is required.
    for line in [
        "          id?: never",
        "          seq?: number",
        "          b?: boolean",
        "          i4: number",
        "          e: string",
        "          i2?: number | null",
    ] {
        has(every, insert, line);
    }
    // issue 8 and the generator's successor (supabase/sdk postgrest-typegen): a generated column
    // cannot be written, `?: never` in Insert and Update.
    has(every, insert, "          total?: never");
    has(every, "        Update: {", "          total?: never");
    // template: Update makes every field optional, identity ALWAYS still never.
    for line in ["          id?: never", "          i4?: number", "          t?: string"] {
        has(every, "        Update: {", line);
    }
    // template: a table without columns.
    assert!(out.contains("      empty_table: {\n        Row: {}\n        Insert: {}\n        Update: {}\n        Relationships: []\n"));
    // template: computed fields (a function of the row type) join the Row, `| null`.
    assert!(out.contains("          title_upper: string | null\n"));

    // template: relationships within the schema only (billing.invoices → public.posts dropped);
    // isOneToOne when the key columns are a UNIQUE or PRIMARY KEY of the referencing table.
    assert!(out.contains("      invoices: {") && block(&out, "      invoices: {").contains(&"        Relationships: []"));
    assert!(out.contains(
        "            foreignKeyName: \"profiles_owner_id_fkey\"\n            columns: [\"owner_id\"]\n            isOneToOne: true\n            referencedRelation: \"every_type\"\n            referencedColumns: [\"id\"]\n          },\n"
    ));
    // template (PostgREST's view key dependencies): a view selecting a key's columns carries the
    // relationship, as source (post_titles) or as target (profile_cards), sorted by name, then
    // target.
    let posts_rels = block(&out, "      posts: {").join("\n");
    assert!(
        posts_rels.find("referencedRelation: \"profile_cards\"").unwrap() < posts_rels.find("referencedRelation: \"profiles\"").unwrap()
    );
    assert!(block(&out, "      post_titles: {").contains(&"            referencedColumns: [\"profile_id\"]"));

    // template: view columns are nullable; an updatable view has Insert and Update with every
    // field optional; one with GROUP BY (and a materialized view) has neither.
    has(&out, "      post_titles: {", "          title?: string | null");
    assert!(!block(&out, "      post_counts: {").iter().any(|l| l.trim() == "Insert: {"));
    assert!(!block(&out, "      mood_board: {").iter().any(|l| l.trim() == "Insert: {"));
    // our derivation of view column types: count(*) is bigint, now() timestamptz, a cast its type.
    has(&out, "      post_counts: {", "          posts: number | null");
    has(&out, "      post_counts: {", "          at: string | null");
    has(&out, "      mood_board: {", "          n: number | null");

    // template: functions. No arguments → `Args: never` (newest); overloads as a union ordered
    // by their argument lists; a default makes an argument optional; an unnamed text argument is
    // `""`; void → undefined.
    assert!(out.contains("      ping: { Args: never; Returns: string }\n"));
    assert!(out.contains("      add:\n        | { Args: { a: number; b?: number }; Returns: number }\n        | { Args: { a: string; b: string }; Returns: string }\n"));
    assert!(out.contains("      echo: { Args: { \"\": string }; Returns: string }\n"));
    assert!(out.contains("      touch: { Args: { p_id: number }; Returns: undefined }\n"));
    // template: trigger functions, procedures and functions with an unnamed non-text argument
    // are not callable through PostgREST, so not listed.
    for absent in ["      stamp:", "      cleanup:", "      unnamed_int:"] {
        assert!(!out.contains(absent), "{absent}");
    }
    // template: RETURNS TABLE and SETOF a table give an inline row, an array unless ROWS 1;
    // SetofOptions says what PostgREST embeds.
    assert!(out.contains("        Returns: {\n          author_id: string\n          last_at: string\n          n: number\n        }[]\n"));
    let latest = block(&out, "      latest_post: {").join("\n");
    assert!(latest.contains("        }\n        SetofOptions: {\n          from: \"*\"\n          to: \"posts\"\n          isOneToOne: true\n          isSetofReturn: true\n"));
    assert!(block(&out, "      posts_by: {").contains(&"        }[]"));
    // template: a single unnamed row argument without a row result is PostgREST's error.
    assert!(out.contains("        Returns: {\n          error: true\n        } & \"the function public.title_upper with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache\"\n"));

    // template + prettier: enum labels in their order; a union too long for 80 columns breaks
    // with leading `|`; Constants lists them as arrays, broken the same way.
    assert!(out.contains("      long_status:\n        | \"waiting_for_review\"\n        | \"changes_requested\"\n"));
    assert!(out.contains("      mood: \"sad\" | \"ok\" | \"happy\"\n      one_label: \"only\"\n"));
    assert!(out.contains("      mood: [\"sad\", \"ok\", \"happy\"],\n"));
    // template: composite attributes in their order, each `| null`.
    assert!(out
        .contains("      address: {\n        street: string | null\n        zip: string | null\n        tags: string[] | null\n      }\n"));
    assert!(out.ends_with("} as const\n"));
}

#[test]
fn the_whole_file_matches_the_expected_one() {
    let out = generated();
    let expected_path = root().join("fixtures/typegen/typegen.expected.ts");
    let expected = std::fs::read_to_string(&expected_path).expect("expected file");
    if out != expected {
        let actual = root().join("target/typegen.actual.ts");
        let _ = std::fs::write(&actual, &out);
        let line =
            out.lines().zip(expected.lines()).position(|(a, b)| a != b).map_or(out.lines().count().min(expected.lines().count()), |i| i);
        panic!(
            "generated types differ from {} at line {} (actual written to {}):\n  expected: {:?}\n  actual:   {:?}",
            expected_path.display(),
            line + 1,
            actual.display(),
            expected.lines().nth(line),
            out.lines().nth(line)
        );
    }
}
