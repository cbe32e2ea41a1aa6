/* pglens wasm32 overlay: wasi-libc (2022) has no netdb.h; PostgreSQL's headers (libpq/pqcomm.h,
 * getaddrinfo.h) include it only to name `struct addrinfo` and size host/service buffers. No
 * networking code is compiled into the parser. */
#ifndef PGLENS_WASM_NETDB_H
#define PGLENS_WASM_NETDB_H

struct addrinfo;

#define NI_MAXHOST 1025
#define NI_MAXSERV 32

#endif
