/*
 * System-register guest for the cross-accelerator migration tests
 * (issue 8): a bare-metal AArch64 program loaded as a raw -kernel at
 * RAM + 0x80000, MMU off, no interrupts.
 *
 * It gives the EL1 context registers distinctive values (the values an OS
 * would have: translation regime, thread pointers, vector base, timer
 * control), then snapshots them together with the identification
 * registers it cannot write (MIDR, MPIDR, ID_AA64*, CTR, CNTFRQ).  From
 * then on it re-reads every register in a loop and compares it with the
 * snapshot, and reads the virtual counter (CNTVCT_EL0) each pass:
 *   SYSREGS-START n=<registers>
 *   S iter=<passes> back=<counter went backwards> maxgap_us=<largest gap
 *     between two passes, in microseconds of guest counter time>
 * every ~200 ms of guest time, or, at the first difference, once:
 *   SYSREGS-MISMATCH <name> was=<hex> now=<hex>
 * and then it stops printing S lines (platform fields excepted: masks).  A migration that loses or changes
 * any of these registers, or moves the counter backwards, shows here; the
 * gap measured across the migration is the guest's view of the downtime.
 *
 * MMIO uses plain STRB with no writeback so KVM gets a valid syndrome
 * (Arm ARM D17.2.40, ESR_ELx.ISV).
 */
    .equ UART, 0x09000000
    .equ SNAP, 0x40400000            /* snapshot (well past the image) */
    .equ CUR,  0x40401000            /* this pass's reads */

    .text
    .global _start
_start:
    ldr x20, =UART
    ldr x0, =0x40380000              /* stack below the snapshot */
    mov sp, x0
    adr x0, vectors
    msr vbar_el1, x0

    /* Distinctive values (Arm ARM D19.2); all fields kept to what an
     * implementation must store (RES0 bits clear). */
    ldr x0, =0x1122334455667788
    msr tpidr_el0, x0
    ldr x0, =0x0123456789abcdef
    msr tpidrro_el0, x0
    ldr x0, =0x8877665544332211
    msr tpidr_el1, x0
    mov x0, #0x5a5a
    msr contextidr_el1, x0
    ldr x0, =0x0001000041234000      /* ASID 1, table at 0x41234000 */
    msr ttbr0_el1, x0
    ldr x0, =0x0002000041236000
    msr ttbr1_el1, x0
    ldr x0, =0x000000ff440c0400      /* MAIR: the attributes Linux uses */
    msr mair_el1, x0
    ldr x0, =0x00000002b5193519      /* TCR: 39-bit VA both halves, 4K */
    msr tcr_el1, x0
    mov x0, #3                       /* EL0VCTEN | EL0PCTEN */
    msr cntkctl_el1, x0
    mov x0, #(3 << 20)               /* CPACR_EL1.FPEN: no FP traps */
    msr cpacr_el1, x0
    ldr x0, =0x40fedcb0
    msr sp_el0, x0
    ldr x0, =0x0000dead0000beef
    msr far_el1, x0
    mov x0, #2                       /* CNTV_CTL: IMASK, disabled */
    msr cntv_ctl_el0, x0
    ldr x0, =0x00ffffffffffff00
    msr cntv_cval_el0, x0
    isb

    ldr x1, =SNAP
    bl read_all
    adr x0, msg_start
    bl puts
    mov x0, #NREGS
    bl putdec
    mov w1, #'\n'
    strb w1, [x20]

    mrs x21, cntfrq_el0
    mov x22, #0                      /* passes */
    mov x23, #0                      /* times the counter went back */
    mov x24, #0                      /* largest gap, counter ticks */
    isb
    mrs x25, cntvct_el0              /* previous read */
    mov x26, x25                     /* last report */
    mov x3, #5
    udiv x27, x21, x3                /* report every 200 ms */

loop:
    ldr x1, =CUR
    bl read_all
    ldr x1, =SNAP
    ldr x2, =CUR
    mov x3, #0
    adr x8, masks
1:  ldr x4, [x1, x3, lsl #3]
    ldr x5, [x2, x3, lsl #3]
    ldr x9, [x8, x3, lsl #3]
    eor x10, x4, x5
    tst x10, x9
    b.ne mismatch
    add x3, x3, #1
    cmp x3, #NREGS
    b.lo 1b

    isb
    mrs x6, cntvct_el0
    cmp x6, x25
    b.hs 2f
    add x23, x23, #1                 /* backwards */
    b 3f
2:  sub x7, x6, x25
    cmp x7, x24
    csel x24, x7, x24, hi
3:  mov x25, x6
    add x22, x22, #1
    sub x7, x6, x26
    cmp x7, x27
    b.lo loop
    mov x26, x6
    adr x0, msg_s
    bl puts
    mov x0, x22
    bl putdec
    adr x0, msg_back
    bl puts
    mov x0, x23
    bl putdec
    adr x0, msg_gap
    bl puts
    ldr x3, =1000000
    mul x0, x24, x3
    udiv x0, x0, x21
    bl putdec
    mov w1, #'\n'
    strb w1, [x20]
    b loop

mismatch:                            /* x3 = index, x4 = was, x5 = now */
    mov x28, x3
    mov x26, x4
    mov x27, x5
    adr x0, msg_mis
    bl puts
    adr x0, names
    add x0, x0, x28, lsl #4
    bl puts
    adr x0, msg_was
    bl puts
    mov x0, x26
    bl puthex
    adr x0, msg_now
    bl puts
    mov x0, x27
    bl puthex
    mov w1, #'\n'
    strb w1, [x20]
9:  wfi
    b 9b

/* read_all(x1 = buffer): every checked register, in the order of names. */
.macro rd reg
    mrs x0, \reg
    str x0, [x1], #8
.endm
read_all:
    rd sctlr_el1
    rd tcr_el1
    rd mair_el1
    rd ttbr0_el1
    rd ttbr1_el1
    rd vbar_el1
    rd tpidr_el0
    rd tpidrro_el0
    rd tpidr_el1
    rd contextidr_el1
    rd cntkctl_el1
    rd cpacr_el1
    rd sp_el0
    rd far_el1
    rd cntv_ctl_el0
    rd cntv_cval_el0
    rd cntfrq_el0
    rd midr_el1
    rd mpidr_el1
    rd revidr_el1
    rd id_aa64pfr0_el1
    rd id_aa64pfr1_el1
    rd id_aa64dfr0_el1
    rd id_aa64isar0_el1
    rd id_aa64isar1_el1
    rd id_aa64mmfr0_el1
    rd id_aa64mmfr1_el1
    rd id_aa64mmfr2_el1
    rd ctr_el0
    ret
    .equ NREGS, 29

/* Bits compared, same order as read_all.  ID_AA64PFR0_EL1's EL2 and EL3
 * fields [15:8] and CSV2/CSV3 [63:56] describe the platform, not the
 * guest's instruction set: the destination keeps its own (the
 * reconciliation rules, target/arm/reconcile-id.c), so they may change. */
    .balign 8
masks:
    .rept 20
    .quad 0xffffffffffffffff
    .endr
    .quad 0x00ffffffffff00ff         /* ID_AA64PFR0_EL1 */
    .rept 8
    .quad 0xffffffffffffffff
    .endr

/* 16 bytes per name, same order as read_all. */
    .balign 16
names:
.irp reg, SCTLR_EL1, TCR_EL1, MAIR_EL1, TTBR0_EL1, TTBR1_EL1, VBAR_EL1, \
        TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1, CONTEXTIDR_EL1, CNTKCTL_EL1, \
        CPACR_EL1, SP_EL0, FAR_EL1, CNTV_CTL_EL0, CNTV_CVAL_EL0, \
        CNTFRQ_EL0, MIDR_EL1, MPIDR_EL1, REVIDR_EL1, ID_AA64PFR0, \
        ID_AA64PFR1, ID_AA64DFR0, ID_AA64ISAR0, ID_AA64ISAR1, \
        ID_AA64MMFR0, ID_AA64MMFR1, ID_AA64MMFR2, CTR_EL0
    .balign 16
    .asciz "\reg"
.endr

/* puts(x0): NUL-terminated string; clobbers x0, w1. */
puts:
    ldrb w1, [x0]
    cbz w1, 5f
    strb w1, [x20]
    add x0, x0, #1
    b puts
5:  ret

/* putdec(x0): unsigned decimal; clobbers x0-x5. */
putdec:
    mov x2, sp
    sub sp, sp, #32
    mov x3, #10
6:  udiv x4, x0, x3
    msub x5, x4, x3, x0
    add w5, w5, #'0'
    strb w5, [x2, #-1]!
    mov x0, x4
    cbnz x0, 6b
7:  ldrb w1, [x2], #1
    strb w1, [x20]
    add x5, sp, #32
    cmp x2, x5
    b.lo 7b
    add sp, sp, #32
    ret

/* puthex(x0): 16 hex digits; clobbers x1-x3. */
puthex:
    mov x2, #60
8:  lsr x3, x0, x2
    and x3, x3, #0xf
    cmp x3, #10
    add x1, x3, #'0'
    add x3, x3, #('a' - 10)
    csel x1, x3, x1, hs
    strb w1, [x20]
    subs x2, x2, #4
    b.ge 8b
    ret

/* Any exception is a failure: say which and stop (no state is changed
 * by the exception entry that the loop would then report). */
unexpected:
    adr x0, msg_exc
    bl puts
    mrs x0, esr_el1
    bl puthex
    adr x0, msg_elr
    bl puts
    mrs x0, elr_el1
    bl puthex
    mov w1, #'\n'
    strb w1, [x20]
4:  wfi
    b 4b

msg_start: .asciz "\nSYSREGS-START n="
msg_s:    .asciz "S iter="
msg_back: .asciz " back="
msg_gap:  .asciz " maxgap_us="
msg_mis:  .asciz "SYSREGS-MISMATCH "
msg_was:  .asciz " was="
msg_now:  .asciz " now="
msg_exc:  .asciz "SYSREGS-EXCEPTION esr="
msg_elr:  .asciz " elr="
    .balign 8
    .ltorg

/* Vector table (Arm ARM D1.10.2): 16 entries of 0x80 bytes. */
    .balign 2048
vectors:
    .rept 16
    b unexpected
    .balign 0x80
    .endr
