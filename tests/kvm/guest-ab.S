/*
 * A/B guest for the real-KVM tests: a bare-metal AArch64 program loaded
 * as a raw -kernel at RAM + 0x80000 (position independent).
 *
 * On its first boot it leaves a marker in RAM, prints "KVMGUEST-RESET" and
 * asks for PSCI SYSTEM_RESET; RAM survives a system reset (the board only
 * reloads the image), so the second boot sees the marker, clears it and
 * goes on.  It prints "KVMGUEST-START", then walks a 4 MiB buffer page by page,
 * incrementing one word per page (so every pass dirties 1024 pages), and
 * after each pass prints 'A' or 'B' alternately.  After PASSES passes it
 * checks that every word equals PASSES, prints "KVMGUEST-OK" (or
 * "KVMGUEST-BAD") and powers off with PSCI SYSTEM_OFF (HVC, PSCI 0.2).
 *
 * MMIO is done with plain STRB, never with writeback addressing: KVM can
 * only emulate accesses whose syndrome is valid (Arm ARM D13.2.39 ISV).
 * PASSES comes from x1 at entry when non-zero (unused today: the boot code
 * clears x1), else the default below.
 */
    .equ UART, 0x09000000
    .equ BUF, 0x40400000
    .equ BUFSZ, 0x400000
    .equ PASSES, 64
    .equ PSCI_SYSTEM_OFF, 0x84000008
    .equ PSCI_SYSTEM_RESET, 0x84000009
    .equ MARKER, 0x40300000
    .equ MAGIC, 0x5e5e7001

    .text
    .global _start
_start:
    ldr x20, =UART
    ldr x1, =MARKER
    ldr w2, [x1]
    ldr w3, =MAGIC
    cmp w2, w3
    b.eq 0f
    str w3, [x1]                /* first boot: mark, then reset */
    adr x0, msg_reset
    bl puts
    ldr x0, =PSCI_SYSTEM_RESET
    hvc #0
    b .
0:  str wzr, [x1]               /* second boot */
    adr x0, msg_start
    bl puts
    mov x21, #0                 /* passes done */
pass:
    ldr x1, =BUF
    ldr x2, =BUF + BUFSZ
1:  ldr w3, [x1]
    add w3, w3, #1
    str w3, [x1]
    add x1, x1, #4096
    cmp x1, x2
    b.lo 1b
    add x21, x21, #1
    tst x21, #1
    mov w4, #'A'
    mov w5, #'B'
    csel w4, w4, w5, ne
    strb w4, [x20]
    cmp x21, #PASSES
    b.lo pass
    /* verify */
    ldr x1, =BUF
    ldr x2, =BUF + BUFSZ
2:  ldr w3, [x1]
    cmp w3, #PASSES
    b.ne bad
    add x1, x1, #4096
    cmp x1, x2
    b.lo 2b
    adr x0, msg_ok
    bl puts
    b off
bad:
    adr x0, msg_bad
    bl puts
off:
    ldr x0, =PSCI_SYSTEM_OFF
    hvc #0
3:  wfi
    b 3b

/* puts(x0): NUL-terminated string to the UART data register. */
puts:
    ldrb w1, [x0]
    cbz w1, 4f
    strb w1, [x20]
    add x0, x0, #1
    b puts
4:  ret

msg_reset: .asciz "\nKVMGUEST-RESET\n"
msg_start: .asciz "\nKVMGUEST-START\n"
msg_ok:    .asciz "\nKVMGUEST-OK\n"
msg_bad:   .asciz "\nKVMGUEST-BAD\n"
    .balign 8
    .ltorg
