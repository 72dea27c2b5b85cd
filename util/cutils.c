/*
 * Number, size and boolean parsers (see include/qemu/cutils.h).
 */
#include "qemu/osdep.h"
#include <math.h>
#include "qemu/cutils.h"

bool qemu_strtou64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-' || g_ascii_isspace(*s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

bool qemu_strtoi64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s || g_ascii_isspace(*s)) {
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default: return -1;
    }
}

bool qemu_strtosz(const char *s, char default_suffix, uint64_t *out)
{
    char *end;
    uint64_t ival;
    double frac = 0;
    int shift;

    if (!s || !*s || *s == '-' || g_ascii_isspace(*s)) {
        return false;
    }
    errno = 0;
    ival = strtoull(s, &end, 0);
    if (errno || end == s) {
        return false;
    }
    if (*end == '.') {
        /* Fractions only with decimal mantissas, as in "1.5G". */
        char *fend;
        if (g_str_has_prefix(s, "0x") || g_str_has_prefix(s, "0X")) {
            return false;
        }
        frac = strtod(end, &fend);
        if (fend == end + 1) {
            return false;
        }
        end = fend;
    }
    if (*end) {
        shift = suffix_shift(*end);
        if (shift < 0 || end[1]) {
            return false;
        }
    } else {
        shift = suffix_shift(default_suffix);
        g_assert(shift >= 0);
    }
    if (shift >= 64 || (shift && ival > (UINT64_MAX >> shift))) {
        return false;
    }
    {
        uint64_t v = ival << shift;
        uint64_t f = (uint64_t)floor(frac * (double)(1ULL << shift));
        if (frac > 0 && shift == 0) {
            return false;   /* "1.5" bytes makes no sense */
        }
        if (v + f < v) {
            return false;
        }
        *out = v + f;
    }
    return true;
}

bool qemu_strtobool(const char *s, bool *out)
{
    if (!s) {
        return false;
    }
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}
