/*
 * SMP guest for -smp 2 (issue 4 item 1): CPU 0 starts CPU 1 with PSCI
 * CPU_ON (entry, context id); CPU 1 stores the context id into a flag that
 * shares a page with the code CPU 0 is running (so the store also
 * invalidates decoded code under a running vCPU), prints 'S' and calls
 * CPU_OFF.  CPU 0 waits for the flag, then for AFFINITY_INFO to report
 * CPU 1 off, checks that CPU_ON of itself says ALREADY_ON, prints "PASS"
 * and powers off with SYSTEM_OFF.
 */
    .text
    .global _start
_start:
    mov     x20, #0x09000000            /* PL011 */
    movz    x0, #0xc400, lsl #16
    movk    x0, #0x0003                 /* CPU_ON (SMC64) */
    mov     x1, #1                      /* MPIDR of CPU 1 */
    adr     x2, secondary
    mov     x3, #0x55
    hvc     #0
    cbnz    x0, fail
wait_flag:
    adr     x4, flag
    ldar    x5, [x4]
    cmp     x5, #0x55
    b.ne    wait_flag
wait_off:
    movz    x0, #0xc400, lsl #16
    movk    x0, #0x0004                 /* AFFINITY_INFO (SMC64) */
    mov     x1, #1
    mov     x2, #0
    hvc     #0
    cmp     x0, #1                      /* OFF */
    b.ne    wait_off
    movz    x0, #0xc400, lsl #16
    movk    x0, #0x0003                 /* CPU_ON of CPU 0: ALREADY_ON */
    mov     x1, #0
    adr     x2, secondary
    mov     x3, #0
    hvc     #0
    cmn     x0, #4
    b.ne    fail
    mov     w1, #'P'
    strb    w1, [x20]
    mov     w1, #'A'
    strb    w1, [x20]
    mov     w1, #'S'
    strb    w1, [x20]
    strb    w1, [x20]
    mov     w1, #'\n'
    strb    w1, [x20]
    b       off
fail:
    mov     w1, #'F'
    strb    w1, [x20]
    mov     w1, #'\n'
    strb    w1, [x20]
off:
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008                 /* SYSTEM_OFF */
    hvc     #0
1:  wfi
    b       1b

secondary:                              /* x0 = context id */
    mov     x20, #0x09000000
    mov     w1, #'S'
    strb    w1, [x20]
    adr     x4, flag
    stlr    x0, [x4]
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0002                 /* CPU_OFF */
    hvc     #0
2:  b       2b                          /* not reached */

    .balign 8
flag:
    .quad   0
