/*
 * Benchmark guest: a loop run ITERS times, then 'D' on the PL011 and PSCI
 * SYSTEM_OFF.  Two 64-bit words after the first branch are patched by
 * bench/tcg/run.py: offset 8 = ITERS (default 100,000,000), offset 16 =
 * MODE:
 *   0  6 integer ALU instructions per iteration (4 ALU ops, SUBS, B.NE)
 *   1  load + add + store hitting the TLB, 7 instructions per iteration
 *   2  call + return, 6 instructions per iteration
 */
    .text
    .global _start
_start:
    b       start
    .balign 8
iters:
    .quad   100000000
mode:
    .quad   0
start:
    ldr     x0, iters
    ldr     x9, mode
    mov     x1, #1
    mov     x2, #3
    mov     x3, #5
    mov     x4, #7
    cmp     x9, #1
    b.eq    mem_loop_start
    b.hi    call_loop
alu_loop:
    add     x1, x1, x2
    eor     x2, x2, x3
    add     x3, x3, x4, lsl #1
    orr     x4, x4, x1
    subs    x0, x0, #1
    b.ne    alu_loop
    b       done

mem_loop_start:
    movz    x10, #0x4010, lsl #16
mem_loop:
    ldr     x1, [x10]
    add     x1, x1, #1
    str     x1, [x10]
    add     x2, x2, #1
    eor     x3, x3, x2
    subs    x0, x0, #1
    b.ne    mem_loop
    b       done

call_loop:
    bl      func
    subs    x0, x0, #1
    b.ne    call_loop
    b       done
func:
    add     x1, x1, #1
    add     x2, x2, x1
    ret

done:
    mov     x5, #0x09000000
    mov     w6, #'D'
    strb    w6, [x5]
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             /* PSCI SYSTEM_OFF */
    hvc     #0
    smc     #0                      /* if HVC is not the conduit */
1:  wfi
    b       1b
