/* pglens wasm32 overlay: setjmp/longjmp for clang's `-mllvm -wasm-enable-sjlj` lowering.
 * wasi-libc (2022) ships no setjmp.h. LLVM rewrites calls to `setjmp`/`longjmp` into WebAssembly
 * exception handling and calls __wasm_setjmp / __wasm_setjmp_test / __wasm_longjmp, which
 * core/wasm/shim.c implements. The buffer only has to hold that runtime's record (16 bytes on
 * wasm32); 8 words leave room. */
#ifndef PGLENS_WASM_SETJMP_H
#define PGLENS_WASM_SETJMP_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long jmp_buf[8];
typedef jmp_buf sigjmp_buf;

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);

/* There are no signal masks to save or restore on wasm. */
#define sigsetjmp(env, savemask) setjmp(env)
#define siglongjmp(env, val) longjmp(env, val)
#define _setjmp(env) setjmp(env)
#define _longjmp(env, val) longjmp(env, val)

#ifdef __cplusplus
}
#endif

#endif
