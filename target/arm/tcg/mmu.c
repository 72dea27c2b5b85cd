/*
 * VMSAv8-64 stage-1 translation for the EL1&0 regime (Arm ARM D8
 * "The AArch64 Virtual Memory System Architecture"): TTBR0/TTBR1 selection by
 * VA bit 55, 4 KiB / 16 KiB / 64 KiB granules, table/block/page descriptors,
 * hierarchical APTable/XNTable, AP[2:1]/UXN/PXN, PAN, WXN, access flag
 * (no hardware update: AF=0 faults), MAIR attribute lookup, top-byte ignore.
 * Also AT S1E* (PAR_EL1 result) for the register table.
 *
 * Not modelled: stage 2, EL2/EL3 regimes, hardware DBM/AF updates, 52-bit
 * addresses, HPD.
 */
#include "tcg-internal.h"

#define PA_BITS 48
#define PA_MASK ((1ULL << PA_BITS) - 1)

enum {
    FSC_ADDR_SIZE = 0x00, FSC_TRANSLATION = 0x04, FSC_ACCESS_FLAG = 0x08,
    FSC_PERMISSION = 0x0c, FSC_EXTERNAL_WALK = 0x14,
};

static bool walk_read(uint64_t pa, uint64_t *desc)
{
    void *p = address_space_host_ptr(&address_space_memory, pa, 8, false,
                                     NULL);
    if (!p) {
        return false;
    }
    *desc = __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
    return true;
}

static bool fault(TcgFault *f, uint32_t fsc, int level)
{
    f->fsc = fsc | (level < 0 ? 0 : (unsigned)level);
    f->s1ptw = false;
    return false;
}

bool tcg_mmu_translate(CPUARMState *env, uint64_t va, int access,
                       unsigned mmu_idx, TcgTranslation *t, TcgFault *f)
{
    uint64_t sctlr = env->sys.sctlr_el[1], tcr = env->sys.tcr_el[1];
    bool el0 = mmu_idx == MMU_IDX_EL0;
    bool hi = (va >> 55) & 1;
    unsigned tsz, tg, g, stride, inputsize, level, start;
    bool tbi, epd;
    uint64_t ttbr, base, desc = 0, top;
    bool ap_table_el0 = false, ap_table_ro = false, xn_table = false,
         pxn_table = false;

    if (!(sctlr & 1)) {                                 /* MMU off */
        if (va & ~PA_MASK) {
            return fault(f, FSC_ADDR_SIZE, 0);
        }
        t->pa = va;
        t->r = t->w = t->x = true;
        t->attr = 0;
        return true;
    }
    if (!hi) {
        tsz = tcr & 0x3f;
        tg = (tcr >> 14) & 3;               /* 0 4K, 1 64K, 2 16K */
        g = tg == 1 ? 16 : tg == 2 ? 14 : 12;
        tbi = (tcr >> 37) & 1;
        epd = (tcr >> 7) & 1;
        ttbr = env->sys.ttbr0_el[1];
    } else {
        tsz = (tcr >> 16) & 0x3f;
        tg = (tcr >> 30) & 3;               /* 1 16K, 2 4K, 3 64K */
        g = tg == 3 ? 16 : tg == 1 ? 14 : 12;
        tbi = (tcr >> 38) & 1;
        epd = (tcr >> 23) & 1;
        ttbr = env->sys.ttbr1_el[1];
    }
    if (tsz < 16) {
        tsz = 16;
    }
    if (tsz > 39) {
        tsz = 39;
    }
    inputsize = 64 - tsz;
    /* Bits above the input size must all equal bit 55 (or 63 without TBI). */
    top = tbi ? (va << 8) >> (inputsize + 8) : va >> inputsize;
    if (top != (hi ? ((tbi ? ~0ULL >> (inputsize + 8) : ~0ULL >> inputsize))
                   : 0) || epd) {
        return fault(f, FSC_TRANSLATION, 0);
    }
    stride = g - 3;
    level = 4 - (inputsize - g + stride - 1) / stride;
    base = ttbr & PA_MASK & ~1ULL;          /* BADDR; bit 0 is CnP */
    start = level;

    for (;; level++) {
        unsigned shift = g + stride * (3 - level);
        unsigned bits = level == start ? inputsize - shift : stride;
        uint64_t index = (va >> shift) & ((1ULL << bits) - 1);

        if (!walk_read(base + index * 8, &desc)) {
            f->fsc = FSC_EXTERNAL_WALK | level;
            f->s1ptw = false;
            return false;
        }
        if (!(desc & 1)) {
            return fault(f, FSC_TRANSLATION, level);
        }
        if (level < 3 && (desc & 2)) {                  /* table */
            base = desc & PA_MASK & ~((1ULL << g) - 1);
            pxn_table |= (desc >> 59) & 1;
            xn_table |= (desc >> 60) & 1;
            ap_table_el0 |= (desc >> 61) & 1;
            ap_table_ro |= (desc >> 62) & 1;
            continue;
        }
        if (level == 3 && !(desc & 2)) {
            return fault(f, FSC_TRANSLATION, level);    /* reserved */
        }
        if (level < 3 && (level == 0 || (g == 16 && level == 1))) {
            return fault(f, FSC_TRANSLATION, level);    /* no such block */
        }
        t->pa = (desc & PA_MASK & ~((1ULL << shift) - 1)) |
                (va & ((1ULL << shift) - 1));
        break;
    }
    if (!(desc & (1u << 10))) {
        return fault(f, FSC_ACCESS_FLAG, level);
    }
    {
        bool ap2 = (desc >> 7) & 1, ap1 = (desc >> 6) & 1;
        bool uxn = ((desc >> 54) & 1) || xn_table;
        bool pxn = ((desc >> 53) & 1) || pxn_table;
        bool el0_ok = ap1 && !ap_table_el0;
        bool ro = ap2 || ap_table_ro;
        unsigned attrindx = (desc >> 2) & 7;

        if (el0) {
            t->r = el0_ok;
            t->w = el0_ok && !ro;
            t->x = el0_ok && !uxn;
        } else {
            t->r = true;
            t->w = !ro;
            /* EL1 never executes EL0-writable memory (Arm ARM D8.4.1.3). */
            t->x = !pxn && !(el0_ok && !ro);
            if (mmu_idx == MMU_IDX_EL1_PAN && el0_ok) {
                t->r = t->w = false;
            }
        }
        if ((sctlr & (1u << 19)) && t->w) {             /* WXN */
            t->x = false;
        }
        t->attr = env->sys.mair_el[1] >> (attrindx * 8);
    }
    if ((access == ACC_READ && !t->r) || (access == ACC_WRITE && !t->w) ||
        (access == ACC_EXEC && !t->x)) {
        return fault(f, FSC_PERMISSION, level);
    }
    return true;
}

uint64_t tcg_mmu_at(ARMCPU *cpu, uint64_t va, bool is_write, unsigned el)
{
    CPUARMState *env = &cpu->env;
    TcgTranslation t;
    TcgFault f;
    unsigned idx = el == 0 ? MMU_IDX_EL0 :
                   (env->pstate & PSTATE_PAN) ? MMU_IDX_EL1_PAN : MMU_IDX_EL1;

    if (!tcg_mmu_translate(env, va, is_write ? ACC_WRITE : ACC_READ, idx,
                           &t, &f)) {
        /* PAR_EL1 fault form: F=1, FST[6:1], PTW[8], S[9] (stage 1). */
        return 1 | ((uint64_t)f.fsc << 1) | (f.s1ptw ? 1u << 8 : 0);
    }
    /* Success form: PA[47:12], ATTR[63:56], NS=0, SH[8:7] inner shareable. */
    return (t.pa & PA_MASK & ~0xfffULL) | ((uint64_t)t.attr << 56) |
           (3u << 7);
}
