#ifndef INITLENS_CZLIB_SHIM_H
#define INITLENS_CZLIB_SHIM_H
// zlib, for ZlibKit only.
#include <zlib.h>

// inflateInit2 is a macro; expose it as a function Swift can call.
static inline int czlib_inflate_init2(z_stream *strm, int window_bits) {
  return inflateInit2(strm, window_bits);
}
#endif
