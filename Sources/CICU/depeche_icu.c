#include "depeche_icu.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/// The folding chain: decompose, drop combining marks (the accents), lower-case,
/// then Latin-ASCII for the letters that carry no combining mark (œ, æ, ø, ß, ł …).
static const char *const FOLD_RULES = "NFD; [:Nonspacing Mark:] Remove; Lower; Latin-ASCII; NFC";

struct DepecheICU {
    UTransliterator *fold;
    const UNormalizer2 *nfc;
    UChar *source;      // UTF-16 copy of the input
    int32_t sourceCapacity;
    UChar *work;        // UTF-16 result buffer
    int32_t workCapacity;
};

static int ensure(UChar **buffer, int32_t *capacity, int32_t needed) {
    if (*capacity >= needed) return 1;
    int32_t grown = needed < 256 ? 256 : needed * 2;
    UChar *resized = realloc(*buffer, sizeof(UChar) * (size_t)grown);
    if (!resized) return 0;
    *buffer = resized;
    *capacity = grown;
    return 1;
}

DepecheICU *depeche_icu_create(const char **error) {
    UErrorCode status = U_ZERO_ERROR;
    DepecheICU *icu = calloc(1, sizeof(DepecheICU));
    if (!icu) {
        if (error) *error = "out of memory";
        return NULL;
    }
    // Loading the normalization data proves ICU's data is there; the folding
    // transliterator is opened on the first fold (open_fold).
    icu->nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) {
        if (error) *error = u_errorName(status);
        depeche_icu_destroy(icu);
        return NULL;
    }
    return icu;
}

void depeche_icu_destroy(DepecheICU *icu) {
    if (!icu) return;
    if (icu->fold) utrans_close(icu->fold);
    free(icu->source);
    free(icu->work);
    free(icu);
}

/// Opens the folding transliterator if not yet open; returns 0 when ICU cannot.
/// Lazily, because the first transliterator a process opens loads ICU's registry of
/// them (a large share of a short search, docs/PERFORMANCE.md), which a search for
/// plain ASCII words never needs.
static int open_fold(DepecheICU *icu) {
    if (icu->fold) return 1;
    UErrorCode status = U_ZERO_ERROR;
    UChar id[128];
    u_uastrcpy(id, FOLD_RULES);
    icu->fold = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    return U_SUCCESS(status) && icu->fold != NULL;
}

/// Converts UTF-8 input into icu->source; returns its UTF-16 length or -1.
static int32_t load_source(DepecheICU *icu, const char *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    if (!ensure(&icu->source, &icu->sourceCapacity, length + 1)) return -1;
    int32_t utf16Length = 0;
    u_strFromUTF8WithSub(icu->source, icu->sourceCapacity, &utf16Length, text, length, 0xFFFD, NULL, &status);
    return U_SUCCESS(status) ? utf16Length : -1;
}

/// Writes UTF-16 `units` as UTF-8 into `out`, with the return conventions of the header.
static int32_t store_result(const UChar *units, int32_t count, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t utf8Length = 0;
    u_strToUTF8WithSub(out, capacity, &utf8Length, units, count, 0xFFFD, NULL, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) return -utf8Length;
    if (U_FAILURE(status)) return INT32_MIN;
    return utf8Length;
}

/// The three operations share their conversions; only the UTF-16 step differs.
typedef enum { FOLD, LOWER, NFC } Operation;

static int32_t convert(DepecheICU *icu, Operation operation, const char *text, int32_t length, char *out, int32_t capacity) {
    int32_t count = load_source(icu, text, length);
    if (count < 0) return INT32_MIN;
    // Expansions (œ → oe, ß → ss, decomposed Hangul) at most triple a letter's length.
    if (!ensure(&icu->work, &icu->workCapacity, count * 3 + 16)) return INT32_MIN;
    UErrorCode status = U_ZERO_ERROR;
    int32_t result = 0;
    switch (operation) {
    case FOLD: {
        if (!open_fold(icu)) return INT32_MIN;
        memcpy(icu->work, icu->source, sizeof(UChar) * (size_t)count);
        result = count;
        int32_t limit = count;
        utrans_transUChars(icu->fold, icu->work, &result, icu->workCapacity, 0, &limit, &status);
        break;
    }
    case LOWER:
        result = u_strToLower(icu->work, icu->workCapacity, icu->source, count, "fr", &status);
        break;
    case NFC:
        result = unorm2_normalize(icu->nfc, icu->source, count, icu->work, icu->workCapacity, &status);
        break;
    }
    if (U_FAILURE(status)) return INT32_MIN;
    return store_result(icu->work, result, out, capacity);
}

int32_t depeche_icu_fold(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity) {
    return convert(icu, FOLD, text, length, out, capacity);
}

int32_t depeche_icu_lower(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity) {
    return convert(icu, LOWER, text, length, out, capacity);
}

int32_t depeche_icu_nfc(DepecheICU *icu, const char *text, int32_t length, char *out, int32_t capacity) {
    return convert(icu, NFC, text, length, out, capacity);
}
