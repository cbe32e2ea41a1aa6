//! TypeScript type syntax and a printer that lays it out as prettier 3 does for the shapes the
//! Supabase generator writes (`semi: false`, 80 columns, two-space indent, trailing commas): a
//! member stays on one line when it fits and is not an object the generator always breaks; a
//! union that does not fit breaks after its key with one `| member` per line; an object hugs a
//! trailing `| null`; atoms (names, indexed access types) never break.

/// Prettier's default print width.
pub const WIDTH: usize = 80;

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A keyword, a name, a string literal type or an indexed access type: never broken.
    Atom(String),
    Array(Box<Ty>),
    Union(Vec<Ty>),
    /// An object type. `expanded`: always one member per line (the generator wrote a newline
    /// after its `{`); otherwise on one line (`{ a: T; b: U }`) when it fits.
    Object {
        fields: Vec<Field>,
        expanded: bool,
    },
    /// `{ error: true } & "message"`.
    Error(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub optional: bool,
    pub ty: Ty,
}

impl Field {
    pub fn new(key: impl Into<String>, ty: Ty) -> Field {
        Field { key: key.into(), optional: false, ty }
    }

    pub fn optional(key: impl Into<String>, ty: Ty) -> Field {
        Field { key: key.into(), optional: true, ty }
    }
}

impl Ty {
    pub fn atom(s: impl Into<String>) -> Ty {
        Ty::Atom(s.into())
    }

    /// A string literal type: `"value"`, escaped as JSON (prettier keeps double quotes unless
    /// the value holds one and no single quote).
    pub fn literal(value: &str) -> Ty {
        Ty::Atom(string_literal(value))
    }

    pub fn array(of: Ty) -> Ty {
        Ty::Array(Box::new(of))
    }

    /// `self | null`, flattening a union.
    pub fn or_null(self) -> Ty {
        match self {
            Ty::Union(mut v) => {
                v.push(Ty::atom("null"));
                Ty::Union(v)
            }
            t => Ty::Union(vec![t, Ty::atom("null")]),
        }
    }

    pub fn expanded(fields: Vec<Field>) -> Ty {
        Ty::Object { fields, expanded: true }
    }

    pub fn inline(fields: Vec<Field>) -> Ty {
        Ty::Object { fields, expanded: false }
    }

    /// The type on one line, or `None` when it must break (an expanded object, an error).
    pub fn flat(&self) -> Option<String> {
        match self {
            Ty::Atom(s) => Some(s.clone()),
            Ty::Array(of) => {
                let inner = of.flat()?;
                Some(if matches!(**of, Ty::Union(_)) { format!("({inner})[]") } else { format!("{inner}[]") })
            }
            Ty::Union(v) => v.iter().map(Ty::flat).collect::<Option<Vec<_>>>().map(|p| p.join(" | ")),
            Ty::Object { fields, expanded } => {
                if fields.is_empty() {
                    return Some("{}".into());
                }
                if *expanded {
                    return None;
                }
                let parts = fields
                    .iter()
                    .map(|f| f.ty.flat().map(|t| format!("{}: {t}", key_text(&f.key, f.optional))))
                    .collect::<Option<Vec<_>>>()?;
                Some(format!("{{ {} }}", parts.join("; ")))
            }
            Ty::Error(_) => None,
        }
    }
}

/// `key` as prettier prints an object key: bare when it is an identifier name, else quoted.
pub fn key_text(key: &str, optional: bool) -> String {
    let mut s = if is_identifier(key) { key.to_string() } else { string_literal(key) };
    if optional {
        s.push('?');
    }
    s
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c == '$' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c == '$' || c.is_alphanumeric())
}

/// A string literal as prettier prints it: double quotes, unless the text holds more double
/// quotes than single ones.
pub fn string_literal(value: &str) -> String {
    let doubles = value.matches('"').count();
    let singles = value.matches('\'').count();
    let quote = if doubles > singles { '\'' } else { '"' };
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

/// Prints `key: ty` at `indent` (the column the key starts at), as lines ending in `\n`.
pub fn print_field(out: &mut String, indent: usize, f: &Field) {
    let key = key_text(&f.key, f.optional);
    let head = format!("{}{key}:", pad(indent));
    if let Some(flat) = f.ty.flat() {
        if head.chars().count() + 1 + flat.chars().count() <= WIDTH || is_atomic(&f.ty) {
            out.push_str(&format!("{head} {flat}\n"));
            return;
        }
    }
    print_value(out, indent, &head, &f.ty, "");
}

/// Nothing in it can break: an atom, an array of one.
fn is_atomic(t: &Ty) -> bool {
    match t {
        Ty::Atom(_) => true,
        Ty::Array(of) => is_atomic(of),
        _ => false,
    }
}

/// Prints a value that does not fit on its key's line. `head` is the text before the value
/// (`    key:`), `tail` what follows its last line (`,` in an array).
fn print_value(out: &mut String, indent: usize, head: &str, ty: &Ty, tail: &str) {
    match ty {
        Ty::Object { fields, .. } => {
            out.push_str(&format!("{head} {{\n"));
            for f in fields {
                print_field(out, indent + 2, f);
            }
            out.push_str(&format!("{}}}{tail}\n", pad(indent)));
        }
        Ty::Array(of) if matches!(**of, Ty::Object { .. }) => {
            print_value(out, indent, head, of, &format!("[]{tail}"));
        }
        Ty::Error(message) => {
            out.push_str(&format!("{head} {{\n{}error: true\n{}}} & {}{tail}\n", pad(indent + 2), pad(indent), string_literal(message)));
        }
        Ty::Union(members) => {
            // `{ ... } | null` hugs: the object breaks, `| null` follows its brace.
            if let [obj @ Ty::Object { .. }, Ty::Atom(null)] = &members[..] {
                if null == "null" {
                    return print_value(out, indent, head, obj, &format!(" | null{tail}"));
                }
            }
            out.push_str(head);
            out.push('\n');
            let c = indent + 2;
            let last = members.len().saturating_sub(1);
            for (i, m) in members.iter().enumerate() {
                let t = if i == last { tail } else { "" };
                match m.flat() {
                    Some(flat) if c + 2 + flat.chars().count() <= WIDTH || is_atomic(m) => {
                        out.push_str(&format!("{}| {flat}{t}\n", pad(c)));
                    }
                    _ => match m {
                        Ty::Object { fields, .. } => {
                            out.push_str(&format!("{}| {{\n", pad(c)));
                            for f in fields {
                                print_field(out, c + 4, f);
                            }
                            out.push_str(&format!("{}}}{t}\n", pad(c + 2)));
                        }
                        Ty::Array(of) if matches!(**of, Ty::Object { .. }) => {
                            let Ty::Object { fields, .. } = &**of else { unreachable!() };
                            out.push_str(&format!("{}| {{\n", pad(c)));
                            for f in fields {
                                print_field(out, c + 4, f);
                            }
                            out.push_str(&format!("{}}}[]{t}\n", pad(c + 2)));
                        }
                        other => {
                            let flat = other.flat().unwrap_or_default();
                            out.push_str(&format!("{}| {flat}{t}\n", pad(c)));
                        }
                    },
                }
            }
        }
        other => {
            let flat = other.flat().unwrap_or_default();
            out.push_str(&format!("{head} {flat}{tail}\n"));
        }
    }
}

/// A tuple or array literal of strings (`["a", "b"]`) after `head`, ending with `tail`: on one
/// line when it fits, else one element per line with trailing commas.
pub fn print_string_list(out: &mut String, indent: usize, head: &str, items: &[String], tail: &str) {
    let flat = format!("[{}]", items.iter().map(|i| string_literal(i)).collect::<Vec<_>>().join(", "));
    if head.chars().count() + 1 + flat.chars().count() + tail.chars().count() <= WIDTH || items.is_empty() {
        out.push_str(&format!("{head} {flat}{tail}\n"));
        return;
    }
    out.push_str(&format!("{head} [\n"));
    for i in items {
        out.push_str(&format!("{}{},\n", pad(indent + 2), string_literal(i)));
    }
    out.push_str(&format!("{}]{tail}\n", pad(indent)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(f: Field, indent: usize) -> String {
        let mut s = String::new();
        print_field(&mut s, indent, &f);
        s
    }

    #[test]
    fn keys_are_bare_when_they_are_identifiers() {
        assert_eq!(key_text("user_id", false), "user_id");
        assert_eq!(key_text("UserId", true), "UserId?");
        assert_eq!(key_text("user-id", false), "\"user-id\"");
        assert_eq!(key_text("1st", false), "\"1st\"");
        assert_eq!(key_text("", false), "\"\"");
        assert_eq!(key_text("a\"b", false), "'a\"b'");
        assert_eq!(key_text("ünï", false), "ünï");
    }

    #[test]
    fn a_union_that_does_not_fit_breaks_after_its_key() {
        let t = Ty::atom("Database[\"public\"][\"Enums\"][\"investment_tier\"]").or_null();
        assert_eq!(
            field(Field::optional("investment_tier", t), 10),
            "          investment_tier?:\n            | Database[\"public\"][\"Enums\"][\"investment_tier\"]\n            | null\n"
        );
    }

    #[test]
    fn inline_objects_fit_or_expand() {
        let f = Field::new(
            "requeue_stale_jobs",
            Ty::inline(vec![
                Field::new("Args", Ty::inline(vec![Field::optional("p_timeout", Ty::atom("string"))])),
                Field::new("Returns", Ty::atom("number")),
            ]),
        );
        assert_eq!(field(f, 6), "      requeue_stale_jobs: { Args: { p_timeout?: string }; Returns: number }\n");
        let g = Field::new(
            "polymorphic_function_with_different_return",
            Ty::inline(vec![
                Field::new("Args", Ty::inline(vec![Field::new("", Ty::atom("string"))])),
                Field::new("Returns", Ty::atom("string")),
            ]),
        );
        assert_eq!(
            field(g, 6),
            "      polymorphic_function_with_different_return: {\n        Args: { \"\": string }\n        Returns: string\n      }\n"
        );
    }

    #[test]
    fn objects_hug_null_and_arrays() {
        let row = Ty::expanded(vec![Field::new("details", Ty::atom("string").or_null())]);
        assert_eq!(field(Field::new("f", row.clone().or_null()), 8), "        f: {\n          details: string | null\n        } | null\n");
        assert_eq!(
            field(Field::new("Returns", Ty::array(row)), 12),
            "            Returns: {\n              details: string | null\n            }[]\n"
        );
        assert_eq!(Ty::array(Ty::Union(vec![Ty::literal("a"), Ty::literal("b")])).flat().unwrap(), "(\"a\" | \"b\")[]");
    }
}
