#!/usr/bin/env node
// Fails unless every import of the given wasm modules is wasm-bindgen glue.
//
//   node core/wasm/check-imports.mjs target/wasm32-unknown-unknown/debug/deps/wasm_parse-*.wasm
//
// Works on rustc's output (imports from `__wbindgen_placeholder__` / `__wbindgen_externref_xform__`)
// and on wasm-bindgen's output (imports from the generated JS shim, e.g. `./pglens_worker_bg.js`
// or `wbg`). Any `env.*` or `wasi_snapshot_preview1.*` import means a C symbol was left undefined:
// define it in core/src/wasm_shim.rs or core/wasm/shim.c (see core/wasm/README.md).
import { readFileSync } from "node:fs";

const glue = (module) =>
  module === "__wbindgen_placeholder__" ||
  module === "__wbindgen_externref_xform__" ||
  module === "wbg" ||
  /_bg\.js$/.test(module);

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: check-imports.mjs FILE.wasm...");
  process.exit(2);
}
let bad = 0;
for (const file of files) {
  const module = new WebAssembly.Module(readFileSync(file));
  const imports = WebAssembly.Module.imports(module);
  const foreign = imports.filter((i) => !glue(i.module));
  const size = readFileSync(file).length;
  if (foreign.length > 0) {
    bad++;
    console.error(`${file}: ${foreign.length} non-glue import(s):`);
    for (const i of foreign) console.error(`  ${i.module}.${i.name} (${i.kind})`);
  } else {
    console.log(`${file}: ok (${imports.length} glue imports, ${(size / 1e6).toFixed(2)} MB)`);
  }
}
process.exit(bad ? 1 : 0);
