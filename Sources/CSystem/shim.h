#ifndef INITLENS_CSYSTEM_SHIM_H
#define INITLENS_CSYSTEM_SHIM_H
// libc calls Swift cannot reach directly: GNU memmem, glibc's malloc_trim, the variadic ioctl. Only
// InitLensKit/Platform/System.swift imports this.
#include <stddef.h>
#include <sys/ioctl.h>

// Declared here rather than through _GNU_SOURCE, which would make libc's structs differ from Glibc's module.
extern void *memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

// glibc: gives free heap pages back to the system (after a batch of retired hosts, so the resident set
// stays flat). A no-op where it does not exist.
#if defined(__GLIBC__)
#include <malloc.h>
static inline void csystem_trim_heap(void) { malloc_trim(0); }
#else
static inline void csystem_trim_heap(void) {}
#endif

// The columns of the terminal on `fd` (ioctl TIOCGWINSZ); 0 when `fd` is no terminal or it does not say.
static inline int csystem_terminal_columns(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

// memmem is a GNU extension that Glibc's Swift overlay does not always export.
static inline const void *csystem_memmem(const void *haystack, size_t haystack_len, const void *needle,
                                         size_t needle_len) {
  return memmem(haystack, haystack_len, needle, needle_len);
}
#endif
