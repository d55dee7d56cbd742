#ifndef DEPECHE_ICU_H
#define DEPECHE_ICU_H

#include <stdint.h>

/// Opaque holder of the ICU objects one thread of work reuses: opening an ICU
/// transliterator parses its rules, which costs far more than applying it.
typedef struct DepecheICU DepecheICU;

/// Creates the ICU objects; returns NULL (and writes ICU's error name into `error`,
/// when not NULL) if ICU's data cannot be loaded. The folding transliterator is
/// opened on the first fold.
DepecheICU *depeche_icu_create(const char **error);
void depeche_icu_destroy(DepecheICU *icu);

/// Search folding of UTF-8 text: lower case, diacritics removed, ligatures expanded
/// (œ → oe, æ → ae), other Latin letters reduced to ASCII where ICU's Latin-ASCII
/// knows how. Writes at most `capacity` bytes to `out` and returns the length of
/// the result; a result longer than `capacity` returns its length negated, so the
/// caller can retry with a larger buffer. Returns INT32_MIN on an ICU error.
int32_t depeche_icu_fold(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity);

/// French lower-casing of UTF-8 text, same conventions as depeche_icu_fold.
int32_t depeche_icu_lower(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity);

/// Unicode NFC normalization of UTF-8 text, same conventions as depeche_icu_fold.
int32_t depeche_icu_nfc(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity);

#endif
