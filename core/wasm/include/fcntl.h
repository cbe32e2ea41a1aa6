/* pglens wasm32 overlay: wasi-libc defines O_DSYNC/O_RSYNC/O_SYNC as __WASI_FDFLAGS_*, which
 * expand to casts such as `((__wasi_fdflags_t)(1 << 1))`, and
 * PostgreSQL tests them in `#if`, where a cast is a syntax error. Same values (wasi/api.h's
 * __WASI_FDFLAGS_*), without casts. */
#ifndef PGLENS_WASM_FCNTL_H
#define PGLENS_WASM_FCNTL_H

#include_next <fcntl.h>

#undef O_DSYNC
#undef O_RSYNC
#undef O_SYNC
#define O_DSYNC (1 << 1)
#define O_RSYNC (1 << 3)
#define O_SYNC (1 << 4)

#endif
