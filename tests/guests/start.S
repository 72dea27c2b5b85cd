/*
 * Entry, exception vectors and EL0 entry/exit for the C guests.
 *
 * _start: EL1h, MMU off (as the virt board starts us).  Sets the stack and
 * VBAR_EL1, enables FP/SIMD (CPACR_EL1.FPEN), clears .bss, calls main(),
 * then PSCI SYSTEM_OFF.  Every vector saves a GuestFrame (x0-x30, ELR,
 * SPSR, ESR, FAR) and calls exc_handler(vector index, frame); the handler
 * may edit the frame, which is restored before ERET.
 */
    .section .text.boot, "ax"
    .global _start
_start:
    ldr     x0, =__stack_top
    mov     sp, x0
    ldr     x0, =vectors
    msr     vbar_el1, x0
    mov     x0, #(3 << 20)              /* CPACR_EL1.FPEN: no FP traps */
    msr     cpacr_el1, x0
    isb
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  bl      main
    .global guest_poweroff
guest_poweroff:
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008                 /* PSCI SYSTEM_OFF */
    hvc     #0
3:  wfi
    b       3b

    .macro  ventry idx
    .balign 0x80
    sub     sp, sp, #288
    stp     x0, x1, [sp, #0]
    mov     x0, #\idx
    b       exc_common
    .endm

    .text
    .balign 0x800
    .global vectors
vectors:
    ventry  0
    ventry  1
    ventry  2
    ventry  3
    ventry  4
    ventry  5
    ventry  6
    ventry  7
    ventry  8
    ventry  9
    ventry  10
    ventry  11
    ventry  12
    ventry  13
    ventry  14
    ventry  15

exc_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x1, elr_el1
    stp     x30, x1, [sp, #240]
    mrs     x1, spsr_el1
    mrs     x2, esr_el1
    stp     x1, x2, [sp, #256]
    mrs     x1, far_el1
    str     x1, [sp, #272]
    mov     x1, sp
    bl      exc_handler
    ldp     x30, x1, [sp, #240]
    msr     elr_el1, x1
    ldr     x1, [sp, #256]
    msr     spsr_el1, x1
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #288
    eret

/*
 * long run_user(fn, sp, arg): enter fn(arg) at EL0t with SP_EL0 = sp and
 * interrupts masked.  Returns when the EL0 code exits (exc_handler sends it
 * to user_exit) with the exit value in x0.
 */
    .global run_user
run_user:
    ldr     x9, =kctx
    stp     x19, x20, [x9, #0]
    stp     x21, x22, [x9, #16]
    stp     x23, x24, [x9, #32]
    stp     x25, x26, [x9, #48]
    stp     x27, x28, [x9, #64]
    stp     x29, x30, [x9, #80]
    mov     x10, sp
    str     x10, [x9, #96]
    msr     elr_el1, x0
    msr     sp_el0, x1
    mov     x0, #0x3c0                  /* EL0t, DAIF masked */
    msr     spsr_el1, x0
    mov     x0, x2
    eret

    .global user_exit
user_exit:
    ldr     x9, =kctx
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    ldp     x29, x30, [x9, #80]
    ldr     x10, [x9, #96]
    mov     sp, x10
    ret

    .data
    .balign 16
kctx:
    .space  112
