/* pglens wasm32 overlay: wasi-libc's errno.h lacks EHOSTDOWN, which PostgreSQL's port code names.
 * The value is never produced on wasm; it only has to differ from the others. */
#ifndef PGLENS_WASM_ERRNO_H
#define PGLENS_WASM_ERRNO_H

#include_next <errno.h>

#ifndef EHOSTDOWN
#define EHOSTDOWN 10064
#endif

#endif
