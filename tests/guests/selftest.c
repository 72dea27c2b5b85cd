/*
 * Self-checking guest (issue 4 item 6c): runs integer, load/store, atomic
 * and FP/SIMD-move checks whose expected values the compiler computed (the
 * inputs are volatile, so the instructions run in the guest) or that were
 * checked on QEMU 7.2; prints "PASS" or the first "FAIL <n>" and powers off
 * through PSCI.  MMU off, EL1.
 */
#include "guest.h"

static volatile uint64_t va = 0x0123456789abcdefULL, vb = 0xfedcba9876543210ULL;
static volatile int64_t vneg = -7, vpos = 3;
static volatile uint32_t w1 = 0x80000001u, w2 = 0x7fffffffu;
static volatile uint64_t zero = 0;
static uint8_t buf[256] __attribute__((aligned(256)));
static volatile uint64_t shared __attribute__((aligned(16)));
static volatile uint64_t pair[2] __attribute__((aligned(16)));

static int first_fail;
static int n;

#define CHECK(expr) do {                        \
        n++;                                    \
        if (!(expr) && !first_fail) {           \
            first_fail = n;                     \
        }                                       \
    } while (0)

static uint64_t nzcv_after_adds(uint64_t a, uint64_t b)
{
    uint64_t r, f;
    __asm__ volatile("adds %0, %2, %3\n\tmrs %1, nzcv"
                     : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");
    return f >> 28;
}

static uint64_t nzcv_after_subs32(uint32_t a, uint32_t b)
{
    uint64_t f;
    uint32_t r;
    __asm__ volatile("subs %w0, %w2, %w3\n\tmrs %1, nzcv"
                     : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");
    return f >> 28;
}

static void check_alu(void)
{
    uint64_t a = va, b = vb;
    int64_t sn = vneg, sp = vpos;

    CHECK(a + b == 0xffffffffffffffffULL);
    CHECK(b - a == 0xfdb97530eca86421ULL);
    CHECK(a * 3 == 0x0369d0369d0369cdULL);
    CHECK((a ^ b) == ~0ULL);
    CHECK((a & 0xff00ff00ff00ff00ULL) == 0x010045008900cd00ULL);
    CHECK((a >> 12) == 0x0000123456789abcULL);
    CHECK((uint64_t)(sn >> 1) == (uint64_t)-4);
    CHECK(sn / sp == -2 && sn % sp == -1);
    CHECK(b / 7 == 0xfedcba9876543210ULL / 7);
    CHECK((uint32_t)(w1 + w2) == 0u);
    CHECK(__builtin_clzll(a) == 7 && __builtin_ctzll(b) == 4);
    CHECK(__builtin_bswap64(a) == 0xefcdab8967452301ULL);
    CHECK((int64_t)(int8_t)(a & 0xff) == -17);                /* SXTB */
    CHECK(((a >> 8) & 0xfff) == 0xbcd);                        /* UBFX */
    CHECK((((uint64_t)(int64_t)(int32_t)w1) >> 32) == 0xffffffffULL);
    CHECK((unsigned __int128)a * b >> 64 == 0x0121fa00ad77d742ULL);
    CHECK((__int128)(int64_t)b * sn >> 64 == 0);
    CHECK(nzcv_after_adds(~0ULL, 1) == 0x6);                   /* Z C */
    CHECK(nzcv_after_adds(0x7fffffffffffffffULL, 1) == 0x9);   /* N V */
    CHECK(nzcv_after_subs32(1, 2) == 0x8);                     /* N */
    CHECK(nzcv_after_subs32(5, 5) == 0x6);                     /* Z C */
}

static void check_special(void)
{
    uint64_t r;
    uint32_t w;

    __asm__("rbit %0, %1" : "=r"(r) : "r"(va));
    CHECK(r == 0xf7b3d591e6a2c480ULL);
    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(va), "r"(zero));
    CHECK(r == 0);                                   /* x/0 = 0 */
    __asm__("sdiv %0, %1, %2" : "=r"(r)
            : "r"(0x8000000000000000ULL), "r"(~zero));
    CHECK(r == 0x8000000000000000ULL);               /* INT_MIN / -1 */
    __asm__("cls %0, %1" : "=r"(r) : "r"(0xfff0000000000000ULL));
    CHECK(r == 11);
    __asm__("extr %0, %1, %2, #16" : "=r"(r) : "r"(va), "r"(vb));
    CHECK(r == 0xcdeffedcba987654ULL);
    __asm__("crc32x %w0, %w1, %2" : "=r"(w) : "r"(0xffffffffu), "r"(va));
    CHECK(w == 0xbbc41db8u);
    __asm__("crc32cw %w0, %w1, %w2" : "=r"(w)
            : "r"(0x12345678u), "r"(0xdeadbeefu));
    CHECK(w == 0xf3ed4b20u);
    __asm__("cmp %1, %2\n\tcsinc %0, %1, %2, lt" : "=r"(r)
            : "r"(va), "r"(vb) : "cc");
    CHECK(r == 0xfedcba9876543211ULL);           /* va > vb signed */
    __asm__("cmp %1, %2\n\tcsneg %0, %1, %2, hi" : "=r"(r)
            : "r"(va), "r"(vb) : "cc");
    CHECK(r == (uint64_t)-0xfedcba9876543210LL);
    __asm__("mov %0, #0\n\tcmp %1, #3\n\tccmp %1, #3, #4, ne\n\tcset %0, eq"
            : "=&r"(r) : "r"(vpos) : "cc");
    CHECK(r == 1);
}

static void check_memory(void)
{
    uint64_t x, y;

    for (int i = 0; i < 256; i++) {
        buf[i] = (uint8_t)i;
    }
    CHECK(*(volatile uint32_t *)(buf + 5) == 0x08070605u);     /* unaligned */
    CHECK(*(volatile uint16_t *)(buf + 255 - 1) == 0xfffe);
    __asm__ volatile("ldp %0, %1, [%2, #16]" : "=r"(x), "=r"(y) : "r"(buf));
    CHECK(x == 0x1716151413121110ULL && y == 0x1f1e1d1c1b1a1918ULL);
    {
        uint8_t *p = buf + 32;
        __asm__ volatile("ldrb %w0, [%1], #3" : "=r"(x), "+r"(p));
        CHECK(x == 32 && p == buf + 35);
        __asm__ volatile("ldrsh %0, [%1, #-3]!" : "=r"(x), "+r"(p));
        CHECK(x == 0x2120 && p == buf + 32);
    }
    {
        uint64_t idx = 2;
        __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(x)
                         : "r"(buf), "r"(idx));
        CHECK(x == 0x1716151413121110ULL);
        __asm__ volatile("ldrsw %0, [%1, %w2, sxtw #2]" : "=r"(x)
                         : "r"(buf + 64), "r"(-1));
        CHECK(x == 0x3f3e3d3cULL);
    }
    {
        uint64_t s[2] = { 0x1111, 0x2222 };
        __asm__ volatile("stp %1, %2, [%0]" :: "r"(buf + 128), "r"(s[1]),
                         "r"(s[0]) : "memory");
        CHECK(*(volatile uint64_t *)(buf + 128) == 0x2222 &&
              *(volatile uint64_t *)(buf + 136) == 0x1111);
    }
    {
        /* DC ZVA zeroes one DCZID-sized aligned block. */
        uint64_t dczid;
        __asm__("mrs %0, dczid_el0" : "=r"(dczid));
        unsigned bs = 4u << (dczid & 15);
        for (int i = 0; i < 256; i++) {
            buf[i] = 0xaa;
        }
        if (bs <= 128) {
            __asm__ volatile("dc zva, %0" :: "r"(buf + 128) : "memory");
            CHECK(buf[128] == 0 && buf[128 + bs - 1] == 0 && buf[127] == 0xaa &&
                  (128 + bs >= 256 || buf[128 + bs] == 0xaa));
        }
    }
}

static void check_excl_and_lse(void);

static void check_atomics(void)
{
    uint64_t ok;

    pair[0] = 1;
    pair[1] = 2;
    {
        uint64_t lo, hi;
        __asm__ volatile("1: ldaxp %0, %1, [%3]\n\tadd %0, %0, #1\n\t"
                         "add %1, %1, #1\n\tstlxp %w2, %0, %1, [%3]\n\t"
                         "cbnz %w2, 1b"
                         : "=&r"(lo), "=&r"(hi), "=&r"(ok) : "r"(pair)
                         : "memory");
        CHECK(pair[0] == 2 && pair[1] == 3);
    }
    check_excl_and_lse();
}

static void check_excl_and_lse(void)
{
    uint64_t old, ok;

    shared = 5;
    __asm__ volatile("1: ldxr %0, [%2]\n\tadd %0, %0, #10\n\t"
                     "stxr %w1, %0, [%2]\n\tcbnz %w1, 1b"
                     : "=&r"(old), "=&r"(ok) : "r"(&shared) : "memory");
    CHECK(shared == 15);
    __asm__ volatile("clrex\n\tldxr %0, [%2]\n\tclrex\n\t"
                     "stxr %w1, %0, [%2]"
                     : "=&r"(old), "=&r"(ok) : "r"(&shared) : "memory");
    CHECK(ok == 1 && shared == 15);                 /* monitor cleared */
    if (((READ_SYSREG(id_aa64isar0_el1) >> 20) & 0xf) < 2) {
        puts_uart("(no LSE) ");         /* the model lacks FEAT_LSE */
        return;
    }
    __asm__ volatile("ldaddal %1, %0, [%2]" : "=&r"(old)
                     : "r"(7ULL), "r"(&shared) : "memory");
    CHECK(old == 15 && shared == 22);
    old = 22;
    __asm__ volatile("casal %0, %1, [%2]" : "+r"(old)
                     : "r"(99ULL), "r"(&shared) : "memory");
    CHECK(old == 22 && shared == 99);
    old = 1;
    __asm__ volatile("cas %0, %1, [%2]" : "+r"(old)
                     : "r"(5ULL), "r"(&shared) : "memory");
    CHECK(old == 99 && shared == 99);               /* compare failed */
    __asm__ volatile("swp %1, %0, [%2]" : "=&r"(old)
                     : "r"(3ULL), "r"(&shared) : "memory");
    CHECK(old == 99 && shared == 3);
    __asm__ volatile("ldsmax %1, %0, [%2]" : "=&r"(old)
                     : "r"(-5LL), "r"(&shared) : "memory");
    CHECK(old == 3 && shared == 3);
}

static void check_simd_moves(void)
{
    uint64_t r, r2;

    __asm__ volatile("fmov d1, %1\n\tfmov %0, d1" : "=r"(r) : "r"(va)
                     : "v1");
    CHECK(r == va);
    __asm__ volatile("fmov d2, %2\n\tfmov v2.d[1], %3\n\tmov v3.16b, v2.16b\n\t"
                     "umov %0, v3.d[0]\n\tumov %1, v3.d[1]"
                     : "=r"(r), "=r"(r2) : "r"(va), "r"(vb) : "v2", "v3");
    CHECK(r == va && r2 == vb);
    __asm__ volatile("movi v4.2d, #0xff00ff00ff00ff00\n\tumov %0, v4.d[1]"
                     : "=r"(r) :: "v4");
    CHECK(r == 0xff00ff00ff00ff00ULL);
    __asm__ volatile("dup v5.4s, %w1\n\tumov %0, v5.d[1]" : "=r"(r)
                     : "r"(0x12345678u) : "v5");
    CHECK(r == 0x1234567812345678ULL);
    __asm__ volatile("fmov s6, #1.0\n\tfmov %w0, s6" : "=r"(r) :: "v6");
    CHECK(r == 0x3f800000u);
    __asm__ volatile("fmov d7, #-2.5\n\tfmov %0, d7" : "=r"(r) :: "v7");
    CHECK(r == 0xc004000000000000ULL);
    __asm__ volatile("fmov d2, %1\n\tfmov v2.d[1], %2\n\t"
                     "stp q2, q2, [%3]\n\tldr q8, [%3, #16]\n\t"
                     "umov %0, v8.d[1]"
                     : "=r"(r) : "r"(va), "r"(vb), "r"(buf)
                     : "memory", "v2", "v8");
    CHECK(r == vb);
    __asm__ volatile("ins v9.s[1], %w1\n\tmov v9.s[0], v9.s[1]\n\t"
                     "umov %0, v9.d[0]" : "=r"(r) : "r"(0xcafef00du) : "v9");
    CHECK(r == 0xcafef00dcafef00dULL);
}

int main(void)
{
    puts_uart("selftest: ");
    check_alu();
    check_special();
    check_memory();
    check_atomics();
    check_simd_moves();
    if (first_fail) {
        puts_uart("FAIL ");
        put_dec(first_fail);
        puts_uart("\n");
    } else {
        puts_uart("PASS (");
        put_dec(n);
        puts_uart(" checks)\n");
    }
    return 0;
}

void exc_handler(uint64_t idx, GuestFrame *f)
{
    (void)idx;
    puts_uart("FAIL exception esr=");
    put_hex(f->esr);
    puts_uart(" elr=");
    put_hex(f->elr);
    puts_uart("\n");
    guest_poweroff();
}
