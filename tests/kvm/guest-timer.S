/*
 * Timer + GIC guest for the real-KVM tests: a bare-metal AArch64
 * program loaded as a raw -kernel at RAM + 0x80000 (position independent).
 *
 * It routes the virtual timer's PPI (INTID 27) through the GICv3 as a
 * Group 1 interrupt, arms CNTV for 10 ms ticks and sleeps in WFI; the IRQ
 * handler acknowledges (ICC_IAR1_EL1), re-arms the timer with TVAL, counts
 * and prints 'T' every 10 ticks (so one 'T' per 100 ms of guest time),
 * then ends the interrupt (ICC_EOIR1_EL1).  It prints "KVMTIMER-START"
 * once and runs until killed.
 *
 * ID_AA64PFR0_EL1.GIC says which GIC: 1 = GICv3 system registers, 0 =
 * GICv2 (memory-mapped CPU interface at 0x08010000, Arm IHI 0048B 4.1).
 * GICv3 programming follows Arm IHI 0069 12.9-12.11: GICD_CTLR
 * EnableGrp1 + ARE, GICR_WAKER.ProcessorSleep cleared, IGROUPR0 /
 * ISENABLER0 / IPRIORITYR in the SGI frame, then ICC_SRE/PMR/IGRPEN1.
 * MMIO uses plain LDR/STR (immediate offset, no writeback) so KVM sees a
 * valid syndrome.
 */
    .equ UART, 0x09000000
    .equ GICD, 0x08000000
    .equ GICR, 0x080a0000
    .equ GICR_SGI, 0x080b0000
    .equ GICC, 0x08010000
    .equ TIMER_PPI, 27

    .text
    .global _start
_start:
    ldr x20, =UART
    adr x0, vectors
    msr vbar_el1, x0
    isb
    adr x0, msg_start
    bl puts

    mrs x2, id_aa64pfr0_el1
    ubfx x23, x2, #24, #4           /* GIC field: 0 = GICv2 */
    cbnz x23, gicv3_init
    /* GICv2: distributor, banked PPI 27 enable/priority, CPU interface. */
    ldr x1, =GICD
    mov w2, #1
    str w2, [x1]                    /* GICD_CTLR.Enable */
    ldr w3, =0x80808080
    str w3, [x1, #0x418]            /* IPRIORITYR6 */
    mov w2, #(1 << TIMER_PPI)
    str w2, [x1, #0x100]            /* ISENABLER0 */
    ldr x1, =GICC
    mov w2, #0xff
    str w2, [x1, #0x4]              /* GICC_PMR */
    mov w2, #1
    str w2, [x1]                    /* GICC_CTLR.Enable */
    b timer_init

gicv3_init:
    ldr x1, =GICD
    mov w2, #0x12                   /* ARE | EnableGrp1 (DS = 1) */
    str w2, [x1]
    ldr x1, =GICR
    str wzr, [x1, #0x14]            /* GICR_WAKER: ProcessorSleep = 0 */
1:  ldr w2, [x1, #0x14]
    tbnz w2, #2, 1b                 /* wait for ChildrenAsleep = 0 */
    ldr x1, =GICR_SGI
    mov w2, #(1 << TIMER_PPI)
    str w2, [x1, #0x80]             /* IGROUPR0: Group 1 */
    ldr w3, =0x80808080
    str w3, [x1, #0x418]            /* IPRIORITYR6: INTIDs 24-27 */
    str w2, [x1, #0x100]            /* ISENABLER0 */

    mov x2, #7
    msr S3_0_C12_C12_5, x2          /* ICC_SRE_EL1 */
    isb
    mov x2, #0xff
    msr S3_0_C4_C6_0, x2            /* ICC_PMR_EL1 */
    mov x2, #1
    msr S3_0_C12_C12_7, x2          /* ICC_IGRPEN1_EL1 */
    isb

timer_init:
    mrs x2, cntfrq_el0
    mov x3, #100
    udiv x21, x2, x3                /* counts per 10 ms */
    mov x22, #0                     /* ticks */
    msr cntv_tval_el0, x21
    mov x2, #1
    msr cntv_ctl_el0, x2            /* ENABLE, IMASK clear */
    isb
    msr daifclr, #2                 /* unmask IRQ */
idle:
    wfi
    b idle

irq:
    ldr x6, =GICC
    cbnz x23, 6f
    ldr w0, [x6, #0xc]              /* GICC_IAR */
    b 7f
6:  mrs x0, S3_0_C12_C12_0          /* ICC_IAR1_EL1 */
7:  and x7, x0, #0x3ff
    cmp x7, #TIMER_PPI
    b.ne 3f
    msr cntv_tval_el0, x21          /* next tick; clears the condition */
    add x22, x22, #1
    mov x3, #10
    udiv x4, x22, x3
    msub x5, x4, x3, x22
    cbnz x5, 3f
    mov w1, #'T'
    strb w1, [x20]
3:  cbnz x23, 8f
    str w0, [x6, #0x10]             /* GICC_EOIR */
    eret
8:  msr S3_0_C12_C12_1, x0          /* ICC_EOIR1_EL1 */
    isb
    eret

unexpected:
    mov w1, #'!'
    strb w1, [x20]
4:  wfi
    b 4b

/* puts(x0): NUL-terminated string to the UART data register. */
puts:
    ldrb w1, [x0]
    cbz w1, 5f
    strb w1, [x20]
    add x0, x0, #1
    b puts
5:  ret

msg_start: .asciz "\nKVMTIMER-START\n"
    .balign 8
    .ltorg

/* Vector table (Arm ARM D1.10.2): 16 entries of 0x80 bytes. */
    .balign 2048
vectors:
    .rept 5
    b unexpected
    .balign 0x80
    .endr
    b irq                           /* 0x280: current EL, SPx, IRQ */
    .balign 0x80
    .rept 10
    b unexpected
    .balign 0x80
    .endr
