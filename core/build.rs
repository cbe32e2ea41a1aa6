//! Build script of pglens-core. Natively it does nothing.
//!
//! For wasm32 it compiles `wasm/shim.c` (the setjmp/longjmp runtime that clang's
//! `-mllvm -wasm-enable-sjlj` lowering calls, and single-threaded pthread keys) and links
//! wasi-libc's `libc.a` for the ~40 libc functions libpg_query uses (string functions, snprintf,
//! qsort, strtoul, some stdio). The WASI syscalls those libc members reference, and
//! malloc/free, are defined in Rust (`src/wasm_shim.rs`), so the final module imports nothing
//! but wasm-bindgen's glue. See wasm/README.md and ../../shared/TOOLCHAIN.md §1.
//!
//! The C compiler and flags come from `.cargo/config.toml` (`CC_wasm32_unknown_unknown`,
//! `CFLAGS_wasm32_unknown_unknown`, written by scripts/setup.sh), the same ones pg_query's build
//! script uses; without them we fall back to clang-19 and our own flags.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // `pglens_gitlab_corpus`: ../shared/corpus/gitlab/structure.sql exists, so tests/wasm_bench.rs
    // may `include_bytes!` it (the browser has no file system). Without it the bench compiles to a
    // notice. Re-checked when build.rs changes (or the file, once present).
    println!("cargo:rustc-check-cfg=cfg(pglens_gitlab_corpus)");
    let gitlab = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/gitlab/structure.sql");
    if gitlab.is_file() {
        println!("cargo:rerun-if-changed={}", gitlab.display());
        println!("cargo:rustc-cfg=pglens_gitlab_corpus");
    }
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    println!("cargo:rerun-if-changed=wasm");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let overlay = manifest.join("wasm/include");
    let wasi_lib = env::var("PGLENS_WASI_LIBC_DIR").unwrap_or_else(|_| "/usr/lib/wasm32-wasi".to_string());
    println!("cargo:rerun-if-env-changed=PGLENS_WASI_LIBC_DIR");

    let target = env::var("TARGET").unwrap_or_default();
    let has = |name: &str| {
        env::var_os(format!("{name}_{}", target.replace('-', "_"))).is_some()
            || env::var_os(format!("{name}_{target}")).is_some()
            || env::var_os(format!("TARGET_{name}")).is_some()
    };

    let mut build = cc::Build::new();
    if !has("CC") {
        build.compiler("clang-19");
    }
    if !has("AR") {
        build.archiver("llvm-ar-19");
    }
    build
        .file(manifest.join("wasm/shim.c"))
        .include(&overlay)
        // `__builtin_wasm_throw` needs the exception-handling feature. (The shim calls no setjmp
        // itself, so it does not need `-mllvm -wasm-enable-sjlj`, which CFLAGS may already carry:
        // LLVM rejects that option twice.)
        .flag("-mexception-handling")
        .warnings(true)
        .compile("pglens_wasm_shim");

    println!("cargo:rustc-link-search=native={wasi_lib}");
    // `-bundle`: the archive is not copied into our rlib; the final link (test binary, worker)
    // gets it from the search path.
    println!("cargo:rustc-link-lib=static:-bundle=c");
}
