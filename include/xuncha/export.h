// Symbol visibility for the public API. The library is built with
// -fvisibility=hidden; only what is marked XUNCHA_EXPORT is exported from the
// shared library, so internals cannot become API by accident.

#ifndef XUNCHA_EXPORT_H_
#define XUNCHA_EXPORT_H_

#if defined(XUNCHA_SHARED_LIBRARY)
#if defined(XUNCHA_COMPILING_LIBRARY)
#define XUNCHA_EXPORT __attribute__((visibility("default")))
#else
#define XUNCHA_EXPORT
#endif
#else
#define XUNCHA_EXPORT
#endif

#endif  // XUNCHA_EXPORT_H_
