//! wasm32 runtime for pg_query's C code: the libc and WASI pieces it needs, defined inside the
//! module (see core/wasm/README.md and ../shared/TOOLCHAIN.md §1).
//!
//! On `wasm32-unknown-unknown` libpg_query is compiled with clang-19 against wasi-libc's headers
//! and linked with wasi-libc's `libc.a` (core/build.rs). Three kinds of symbol would otherwise be
//! left undefined, and rustc's wasm linker turns undefined symbols into module imports that no
//! browser or Node provides:
//! - `malloc`/`calloc`/`realloc`/`free` (and the aligned variants): defined here over Rust's
//!   global allocator, so C and Rust share one heap. Each block carries a 16-byte header holding
//!   the total size (needed to rebuild the `Layout` on free/realloc); 16 is also the alignment
//!   C expects from malloc (`max_align_t`).
//! - `__imported_wasi_snapshot_preview1_*`: the WASI syscalls wasi-libc's members call. Defining
//!   them resolves them inside the module. stdout/stderr writes are dropped (PostgreSQL's error
//!   text reaches us through the error struct, not stderr), reads see end-of-file, the
//!   environment is empty, clocks read 0 (deterministic: core has no clock), `proc_exit` traps.
//! - `getpid`: PostgreSQL's elog names the process; there is none, so 1.
//!
//! Invariant: the final module imports nothing but wasm-bindgen's own glue
//! (`__wbindgen_placeholder__` / `__wbindgen_externref_xform__`). Any `env.*` or
//! `wasi_snapshot_preview1.*` import means a new libc member was pulled in: define what it needs
//! here (or in core/wasm/shim.c), do not let it become an import. Check a built module with
//! `node core/wasm/check-imports.mjs <file.wasm>`.
//!
//! Everything here is single-threaded, like the wasm32-unknown-unknown target itself.

use std::alloc::{alloc, alloc_zeroed, dealloc, realloc as grow, Layout};
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

/// Size and alignment of the header in front of every C allocation.
const HEADER: usize = 16;

// WASI errno values (wasi/api.h).
const ERRNO_SUCCESS: i32 = 0;
const ERRNO_BADF: i32 = 8;
const ERRNO_INVAL: i32 = 28;
const ERRNO_SPIPE: i32 = 70;

fn layout(total: usize) -> Option<Layout> {
    Layout::from_size_align(total, HEADER).ok()
}

/// Allocates `size` payload bytes after a header recording the total size.
unsafe fn allocate(size: usize, zeroed: bool) -> *mut c_void {
    let Some(total) = size.checked_add(HEADER) else {
        return null_mut();
    };
    let Some(layout) = layout(total) else {
        return null_mut();
    };
    // SAFETY: `layout` has a non-zero size (at least HEADER).
    let base = if zeroed { alloc_zeroed(layout) } else { alloc(layout) };
    if base.is_null() {
        return null_mut();
    }
    // SAFETY: `base` is valid for `total >= HEADER` bytes and 16-aligned.
    (base as *mut usize).write(total);
    base.add(HEADER) as *mut c_void
}

/// The block start and layout of a pointer returned by [`allocate`].
unsafe fn block(ptr: *mut c_void) -> (*mut u8, Layout) {
    let base = (ptr as *mut u8).sub(HEADER);
    let total = (base as *const usize).read();
    // SAFETY: `total` was validated by `layout` when the block was allocated.
    (base, Layout::from_size_align_unchecked(total, HEADER))
}

#[no_mangle]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    allocate(size, false)
}

#[no_mangle]
pub unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    match count.checked_mul(size) {
        Some(bytes) => allocate(bytes, true),
        None => null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() {
        return allocate(size, false);
    }
    let Some(total) = size.checked_add(HEADER) else {
        return null_mut();
    };
    if layout(total).is_none() {
        return null_mut();
    }
    let (base, old) = block(ptr);
    // SAFETY: `base`/`old` describe a live block from the global allocator; `total` is non-zero
    // and forms a valid layout with the same alignment (checked above).
    let new = grow(base, old, total);
    if new.is_null() {
        return null_mut(); // the old block stays valid, as C requires
    }
    (new as *mut usize).write(total);
    new.add(HEADER) as *mut c_void
}

#[no_mangle]
pub unsafe extern "C" fn free(ptr: *mut c_void) {
    if ptr.is_null() {
        return;
    }
    let (base, layout) = block(ptr);
    dealloc(base, layout);
}

/// Alignments above 16 are not supported (libpg_query does not ask for them); they fail cleanly.
#[no_mangle]
pub unsafe extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
    if align <= HEADER && align.is_power_of_two() {
        allocate(size, false)
    } else {
        null_mut()
    }
}

#[no_mangle]
pub unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> c_int {
    if !align.is_power_of_two() || !align.is_multiple_of(std::mem::size_of::<usize>()) || align > HEADER {
        return ERRNO_INVAL;
    }
    let p = allocate(size, false);
    if p.is_null() {
        return 48; // ENOMEM
    }
    *out = p;
    0
}

#[no_mangle]
pub extern "C" fn getpid() -> c_int {
    1
}

// --- WASI snapshot preview1, resolved inside the module ------------------------------------------
// Signatures are exactly wasi-libc's (all i32 but 64-bit offsets/timestamps): a mismatch would be
// a link-time "signature mismatch" stub that traps.

/// Pretends every byte was written: output is dropped.
#[no_mangle]
pub unsafe extern "C" fn __imported_wasi_snapshot_preview1_fd_write(fd: i32, iovs: i32, iovs_len: i32, nwritten: i32) -> i32 {
    if !(0..=2).contains(&fd) {
        return ERRNO_BADF;
    }
    // struct __wasi_ciovec_t { const uint8_t *buf; size_t buf_len; } on wasm32.
    let iovs = iovs as usize as *const [u32; 2];
    let mut total: u32 = 0;
    for i in 0..iovs_len.max(0) as usize {
        total = total.wrapping_add((*iovs.add(i))[1]);
    }
    (nwritten as usize as *mut u32).write(total);
    ERRNO_SUCCESS
}

/// Standard input is empty; nothing else is open.
#[no_mangle]
pub unsafe extern "C" fn __imported_wasi_snapshot_preview1_fd_read(fd: i32, _iovs: i32, _iovs_len: i32, nread: i32) -> i32 {
    if fd != 0 {
        return ERRNO_BADF;
    }
    (nread as usize as *mut u32).write(0);
    ERRNO_SUCCESS
}

#[no_mangle]
pub extern "C" fn __imported_wasi_snapshot_preview1_fd_seek(fd: i32, _offset: i64, _whence: i32, _newoffset: i32) -> i32 {
    if (0..=2).contains(&fd) {
        ERRNO_SPIPE
    } else {
        ERRNO_BADF
    }
}

#[no_mangle]
pub extern "C" fn __imported_wasi_snapshot_preview1_fd_close(fd: i32) -> i32 {
    if (0..=2).contains(&fd) {
        ERRNO_SUCCESS
    } else {
        ERRNO_BADF
    }
}

/// stdin/stdout/stderr are character devices with all rights; nothing else exists.
#[no_mangle]
pub unsafe extern "C" fn __imported_wasi_snapshot_preview1_fd_fdstat_get(fd: i32, stat: i32) -> i32 {
    if !(0..=2).contains(&fd) {
        return ERRNO_BADF;
    }
    // struct __wasi_fdstat_t { u8 filetype; u16 flags; u64 rights_base; u64 rights_inheriting; }
    // = 24 bytes: filetype at 0, flags at 2, rights at 8 and 16.
    let p = stat as usize as *mut u8;
    std::ptr::write_bytes(p, 0, 24);
    p.write(2); // __WASI_FILETYPE_CHARACTER_DEVICE
    (p.add(8) as *mut u64).write(u64::MAX);
    (p.add(16) as *mut u64).write(u64::MAX);
    ERRNO_SUCCESS
}

/// The environment is empty.
#[no_mangle]
pub unsafe extern "C" fn __imported_wasi_snapshot_preview1_environ_sizes_get(count: i32, buf_size: i32) -> i32 {
    (count as usize as *mut u32).write(0);
    (buf_size as usize as *mut u32).write(0);
    ERRNO_SUCCESS
}

#[no_mangle]
pub extern "C" fn __imported_wasi_snapshot_preview1_environ_get(_environ: i32, _environ_buf: i32) -> i32 {
    ERRNO_SUCCESS
}

/// Every clock reads 0: core is deterministic and has no clock.
#[no_mangle]
pub unsafe extern "C" fn __imported_wasi_snapshot_preview1_clock_time_get(_id: i32, _precision: i64, time: i32) -> i32 {
    (time as usize as *mut u64).write(0);
    ERRNO_SUCCESS
}

/// C `exit`/`abort` paths: there is no process to end, so trap (wasm-bindgen reports it as a
/// JS exception).
#[no_mangle]
pub extern "C" fn __imported_wasi_snapshot_preview1_proc_exit(_code: i32) -> ! {
    core::arch::wasm32::unreachable()
}
