/*
 * Integer-loop benchmark guest: ITERS iterations of a loop of 6
 * instructions (4 ALU ops, SUBS, B.NE), then 'D' on the PL011 and PSCI
 * SYSTEM_OFF.  The iteration count is the 64-bit word at offset 8 of the
 * binary (patched by bench/tcg/run.py), default 100,000,000.
 */
    .text
    .global _start
_start:
    b       start
    .balign 8
iters:
    .quad   100000000
start:
    ldr     x0, iters
    mov     x1, #1
    mov     x2, #3
    mov     x3, #5
    mov     x4, #7
loop:
    add     x1, x1, x2
    eor     x2, x2, x3
    add     x3, x3, x4, lsl #1
    orr     x4, x4, x1
    subs    x0, x0, #1
    b.ne    loop

    mov     x5, #0x09000000
    mov     w6, #'D'
    strb    w6, [x5]
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             /* PSCI SYSTEM_OFF */
    hvc     #0
    smc     #0                      /* if HVC is not the conduit */
1:  wfi
    b       1b
