/*
 * The memory-dirtying A/B guest (facts 4.3), written from its description:
 * raw AArch64 binary loaded at 0x40080000 by -kernel, entered at EL1 with the
 * MMU off.  Prints 'A' once on the PL011, zeroes the first byte of every
 * 4 KiB page in [0x40100000, 0x46400000], then forever increments the first
 * byte of every page in [0x40100000, 0x46400000) (cleaning each line to PoC
 * so an observer of RAM sees it) and prints 'B' after every 32 sweeps.
 * Migration tests check that the page bytes form at most one step.
 */
    .text
    .global _start
_start:
    mrs     x0, sctlr_el1
    bic     x0, x0, #1              /* SCTLR_EL1.M = 0: MMU off */
    msr     sctlr_el1, x0
    isb

    mov     x1, #0x09000000         /* PL011 data register */
    mov     w2, #'A'
    strb    w2, [x1]

    mov     x3, #0x40100000         /* first page */
    mov     x4, #0x46400000         /* end of the range */
    mov     x5, x3
zero:
    strb    wzr, [x5]
    add     x5, x5, #4096
    cmp     x5, x4
    b.ls    zero

    mov     w6, #0                  /* sweeps since the last 'B' */
sweep:
    mov     x5, x3
page:
    ldrb    w7, [x5]
    add     w7, w7, #1
    strb    w7, [x5]
    dc      civac, x5
    add     x5, x5, #4096
    cmp     x5, x4
    b.lo    page

    add     w6, w6, #1
    and     w6, w6, #31
    cbnz    w6, sweep
    mov     w2, #'B'
    strb    w2, [x1]
    b       sweep
