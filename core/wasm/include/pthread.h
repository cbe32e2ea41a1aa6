/* pglens wasm32 overlay: the part of pthreads libpg_query uses (thread-specific keys, to free its
 * memory when a thread exits). wasm32-unknown-unknown is single-threaded and has no pthread.h in
 * wasi-libc (2022): core/wasm/shim.c implements keys as plain slots. Destructors never run. */
#ifndef PGLENS_WASM_PTHREAD_H
#define PGLENS_WASM_PTHREAD_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int pthread_key_t;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);
void *pthread_getspecific(pthread_key_t key);

#ifdef __cplusplus
}
#endif

#endif
