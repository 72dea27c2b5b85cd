/*
 * Random A64 instruction generator for the differential test: emits valid
 * encodings of the integer, load/store and FP/SIMD-move subset the
 * interpreter implements, with operands constrained so both emulators can
 * run them without faulting (see gen.c for the register conventions and the
 * table of excluded encodings).
 */
#ifndef DIFFTEST_GEN_H
#define DIFFTEST_GEN_H

#include <stdint.h>
#include <stdbool.h>

/* Reserved registers, never written by generated code. */
#define GEN_REG_ATOMIC_BASE 26   /* 16-byte aligned, exclusives/atomics */
#define GEN_REG_INDEX       27   /* small index (0..255), register offsets */
#define GEN_REG_BASE        28   /* normal load/store base (writeback ok) */

typedef struct GenState {
    uint64_t rng;
    unsigned excl_size;     /* LDXR/STXR size for the current block */
} GenState;

uint64_t gen_rand(GenState *g);
/*
 * One instruction at index i of a block of n; forward branches land in
 * (i, n].  Returns the encoding and a short class name for statistics.
 */
uint32_t gen_insn(GenState *g, unsigned i, unsigned n, const char **cls);

#endif
