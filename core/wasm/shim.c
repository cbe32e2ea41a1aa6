/*
 * pglens wasm32 runtime shim for libpg_query (compiled by core/build.rs for wasm32 only).
 *
 * 1. setjmp/longjmp runtime. libpg_query reports every error with ereport -> siglongjmp
 *    (PG_TRY/PG_CATCH). With `-mllvm -wasm-enable-sjlj`, LLVM 19 rewrites setjmp/longjmp into
 *    WebAssembly exception handling: every `setjmp(env)` becomes `__wasm_setjmp(env, label, id)`,
 *    every `longjmp(env, val)` becomes `__wasm_longjmp(env, val)`, which throws the C longjmp tag
 *    (`__c_longjmp`, emitted by clang) with a pointer to {env, val}; each function that called
 *    setjmp catches that tag and asks `__wasm_setjmp_test(env, id)` whether the jump is meant for
 *    one of its own setjmp calls (non-zero label) or must be rethrown to its callers.
 *    Same contract as emscripten's and wasi-libc's (newer) implementation.
 *
 * 2. pthread keys. wasm32-unknown-unknown is single-threaded: a key is a slot in a table.
 *    libpg_query registers one key (to free its memory at thread exit); destructors never run.
 */
#include <stdint.h>
#include <stddef.h>

/* The record kept in the caller's jmp_buf (16 bytes on wasm32; jmp_buf is 64 bytes). It lives in
 * the jmp_buf rather than on __wasm_longjmp's stack because the thrown pointer must outlive the
 * frame that throws it. */
struct pglens_jmp_buf {
    void *func_invocation_id;
    uint32_t label;
    struct pglens_longjmp_arg {
        void *env;
        int val;
    } arg;
};

_Static_assert(sizeof(struct pglens_jmp_buf) <= 64, "must fit the overlay's jmp_buf");

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id) {
    struct pglens_jmp_buf *jb = (struct pglens_jmp_buf *)env;
    jb->func_invocation_id = func_invocation_id;
    jb->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id) {
    struct pglens_jmp_buf *jb = (struct pglens_jmp_buf *)env;
    if (jb->func_invocation_id == func_invocation_id) {
        return jb->label;
    }
    return 0;
}

_Noreturn void __wasm_longjmp(void *env, int val) {
    struct pglens_jmp_buf *jb = (struct pglens_jmp_buf *)env;
    jb->arg.env = env;
    jb->arg.val = val != 0 ? val : 1;
    /* Tag index 1 is the C longjmp tag (__c_longjmp); 0 would be C++ exceptions. */
    __builtin_wasm_throw(1, &jb->arg);
}

/* --- pthread keys --------------------------------------------------------------------------- */

typedef unsigned int pthread_key_t;

#define PGLENS_KEYS 32
#define PGLENS_EAGAIN 6  /* wasi-libc's EAGAIN */
#define PGLENS_EINVAL 28 /* wasi-libc's EINVAL */

static const void *pglens_key_values[PGLENS_KEYS];
static unsigned char pglens_key_used[PGLENS_KEYS];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    (void)destructor; /* the only thread never exits */
    for (unsigned int i = 0; i < PGLENS_KEYS; i++) {
        if (!pglens_key_used[i]) {
            pglens_key_used[i] = 1;
            pglens_key_values[i] = NULL;
            *key = i;
            return 0;
        }
    }
    return PGLENS_EAGAIN;
}

int pthread_key_delete(pthread_key_t key) {
    if (key >= PGLENS_KEYS || !pglens_key_used[key]) return PGLENS_EINVAL;
    pglens_key_used[key] = 0;
    pglens_key_values[key] = NULL;
    return 0;
}

int pthread_setspecific(pthread_key_t key, const void *value) {
    if (key >= PGLENS_KEYS || !pglens_key_used[key]) return PGLENS_EINVAL;
    pglens_key_values[key] = value;
    return 0;
}

void *pthread_getspecific(pthread_key_t key) {
    if (key >= PGLENS_KEYS || !pglens_key_used[key]) return NULL;
    return (void *)pglens_key_values[key];
}
