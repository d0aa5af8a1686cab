#ifndef INITLENS_CPCRE2_SHIM_H
#define INITLENS_CPCRE2_SHIM_H
// PCRE2 needs its code unit width chosen before the header; initlens uses the 8-bit library only.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros that Swift cannot import as constants.
static inline size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
#endif
