/*
 * Element encodings for VMState fields (facts 1.10): integers big-endian,
 * bool as one byte, raw buffers, placeholders, timers, and the checked
 * forms (equality, "int32 le" upper bound) that refuse a stream whose
 * configuration differs from ours.  The info names are QEMU's, because
 * they appear as "type" in the stream's JSON description.
 */
#include "qemu/osdep.h"
#include "migration/vmstate.h"

#define DEFINE_INT_INFO(_name, _ctype, _bits, _str)                        \
static bool get_##_name(QEMUFile *f, void *pv, size_t size,                \
                        const VMStateField *field, Error **errp)           \
{                                                                          \
    *(_ctype *)pv = (_ctype)qemu_get_be##_bits(f);                         \
    return true;                                                           \
}                                                                          \
static bool put_##_name(QEMUFile *f, void *pv, size_t size,                \
                        const VMStateField *field, Error **errp)           \
{                                                                          \
    qemu_put_be##_bits(f, (uint##_bits##_t)*(_ctype *)pv);                 \
    return true;                                                           \
}                                                                          \
const VMStateInfo vmstate_info_##_name = {                                 \
    .name = _str, .get = get_##_name, .put = put_##_name,                  \
};

/* qemu_get_be8 / qemu_put_be8 for the macro above. */
#define qemu_get_be8 qemu_get_byte
#define qemu_put_be8 qemu_put_byte

DEFINE_INT_INFO(int8, int8_t, 8, "int8")
DEFINE_INT_INFO(int16, int16_t, 16, "int16")
DEFINE_INT_INFO(int32, int32_t, 32, "int32")
DEFINE_INT_INFO(int64, int64_t, 64, "int64")
DEFINE_INT_INFO(uint8, uint8_t, 8, "uint8")
DEFINE_INT_INFO(uint16, uint16_t, 16, "uint16")
DEFINE_INT_INFO(uint32, uint32_t, 32, "uint32")
DEFINE_INT_INFO(uint64, uint64_t, 64, "uint64")

/* Any non-zero byte reads as true (facts 1.1); we always write 0 or 1. */
static bool get_bool(QEMUFile *f, void *pv, size_t size,
                     const VMStateField *field, Error **errp)
{
    *(bool *)pv = qemu_get_byte(f) != 0;
    return true;
}

static bool put_bool(QEMUFile *f, void *pv, size_t size,
                     const VMStateField *field, Error **errp)
{
    qemu_put_byte(f, *(bool *)pv ? 1 : 0);
    return true;
}

const VMStateInfo vmstate_info_bool = {
    .name = "bool", .get = get_bool, .put = put_bool,
};

static bool get_float64(QEMUFile *f, void *pv, size_t size,
                        const VMStateField *field, Error **errp)
{
    uint64_t bits = qemu_get_be64(f);
    memcpy(pv, &bits, sizeof(bits));
    return true;
}

static bool put_float64(QEMUFile *f, void *pv, size_t size,
                        const VMStateField *field, Error **errp)
{
    uint64_t bits;
    memcpy(&bits, pv, sizeof(bits));
    qemu_put_be64(f, bits);
    return true;
}

const VMStateInfo vmstate_info_float64 = {
    .name = "float64", .get = get_float64, .put = put_float64,
};

/*
 * "int32 le": the count of a variable array.  The destination's current
 * value is its capacity, so anything larger would overflow the array
 * (CVE-2013-4531 was exactly this check missing).
 */
static bool get_int32_le(QEMUFile *f, void *pv, size_t size,
                         const VMStateField *field, Error **errp)
{
    int32_t limit = *(int32_t *)pv;
    int32_t v = (int32_t)qemu_get_be32(f);

    if (qemu_file_get_error(f)) {
        return true;    /* the caller reports the stream error */
    }
    if (v < 0) {
        error_setg(errp, "%" PRId32 " is negative (limit %" PRId32 ")", v,
                   limit);
        return false;
    }
    if (v > limit) {
        error_setg(errp, "%" PRId32 " exceeds the limit %" PRId32, v, limit);
        return false;
    }
    *(int32_t *)pv = v;
    return true;
}

const VMStateInfo vmstate_info_int32_le = {
    .name = "int32 le", .get = get_int32_le, .put = put_int32,
};

/* Equality checks: configuration both sides must share. */
static void equal_failed(Error **errp, const VMStateField *field,
                         uint64_t got, uint64_t local)
{
    error_setg(errp, "received 0x%" PRIx64 " but this side has 0x%" PRIx64
               " (they must be equal)%s%s", got, local,
               field->err_hint ? ": " : "",
               field->err_hint ? field->err_hint : "");
}

#define DEFINE_EQUAL_INFO(_name, _ctype, _bits, _put, _str)                 \
static bool get_##_name##_equal(QEMUFile *f, void *pv, size_t size,         \
                                const VMStateField *field, Error **errp)    \
{                                                                           \
    _ctype v = (_ctype)qemu_get_be##_bits(f);                               \
    if (qemu_file_get_error(f)) {                                           \
        return true;                                                        \
    }                                                                       \
    if (v != *(_ctype *)pv) {                                               \
        equal_failed(errp, field, (uint64_t)(uint##_bits##_t)v,             \
                     (uint64_t)(uint##_bits##_t)*(_ctype *)pv);             \
        return false;                                                       \
    }                                                                       \
    return true;                                                            \
}                                                                           \
const VMStateInfo vmstate_info_##_name##_equal = {                          \
    .name = _str, .get = get_##_name##_equal, .put = _put,                  \
};

DEFINE_EQUAL_INFO(int32, int32_t, 32, put_int32, "int32 equal")
DEFINE_EQUAL_INFO(uint8, uint8_t, 8, put_uint8, "uint8 equal")
DEFINE_EQUAL_INFO(uint16, uint16_t, 16, put_uint16, "uint16 equal")
DEFINE_EQUAL_INFO(uint32, uint32_t, 32, put_uint32, "uint32 equal")
/* QEMU names the 64-bit unsigned check "int64 equal" (facts 1.10). */
DEFINE_EQUAL_INFO(uint64, uint64_t, 64, put_uint64, "int64 equal")

static bool get_buffer(QEMUFile *f, void *pv, size_t size,
                       const VMStateField *field, Error **errp)
{
    qemu_get_buffer(f, pv, size);
    return true;
}

static bool put_buffer(QEMUFile *f, void *pv, size_t size,
                       const VMStateField *field, Error **errp)
{
    qemu_put_buffer(f, pv, size);
    return true;
}

const VMStateInfo vmstate_info_buffer = {
    .name = "buffer", .get = get_buffer, .put = put_buffer,
};

static bool get_unused(QEMUFile *f, void *pv, size_t size,
                       const VMStateField *field, Error **errp)
{
    qemu_file_skip(f, size);
    return true;
}

static bool put_unused(QEMUFile *f, void *pv, size_t size,
                       const VMStateField *field, Error **errp)
{
    static const uint8_t zeros[256];

    while (size > 0) {
        size_t n = MIN(size, sizeof(zeros));
        qemu_put_buffer(f, zeros, n);
        size -= n;
    }
    return true;
}

const VMStateInfo vmstate_info_unused_buffer = {
    .name = "unused_buffer", .get = get_unused, .put = put_unused,
};

/* Timers travel as their expiry on their own clock, -1 when idle. */
static bool get_timer(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    QEMUTimer *t = pv;
    int64_t expire = (int64_t)qemu_get_be64(f);

    if (qemu_file_get_error(f)) {
        return true;
    }
    if (expire == -1) {
        timer_del(t);
    } else {
        timer_mod_ns(t, expire);
    }
    return true;
}

static bool put_timer(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    QEMUTimer *t = pv;

    qemu_put_be64(f, timer_pending(t) ? (uint64_t)t->expire_ns : UINT64_MAX);
    return true;
}

const VMStateInfo vmstate_info_timer = {
    .name = "timer", .get = get_timer, .put = put_timer,
};
