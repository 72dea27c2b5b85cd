/*
 * Shared helpers of the C guests: PL011 output, the exception frame laid
 * out by start.S, and system-register access.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define UART_DR ((volatile uint8_t *)0x09000000)

typedef struct GuestFrame {
    uint64_t x[31];
    uint64_t elr, spsr, esr, far;
    uint64_t pad;
} GuestFrame;

/* Vector index: (source group) * 4 + type; source group 0 = current EL
 * with SP_EL0, 1 = current EL with SP_ELx, 2 = lower EL AArch64. */
void exc_handler(uint64_t idx, GuestFrame *f);
long run_user(long (*fn)(long), void *sp, long arg);
void user_exit(void);
void guest_poweroff(void) __attribute__((noreturn));

#define READ_SYSREG(r) ({ uint64_t v_; \
    __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WRITE_SYSREG(r, v) \
    __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)))
#define ISB() __asm__ volatile("isb" ::: "memory")

static inline void putc_uart(char c)
{
    *UART_DR = (uint8_t)c;
}

static inline void puts_uart(const char *s)
{
    while (*s) {
        putc_uart(*s++);
    }
}

static inline void put_dec(unsigned long v)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (i) {
        putc_uart(buf[--i]);
    }
}

static inline void put_hex(uint64_t v)
{
    puts_uart("0x");
    for (int i = 60; i >= 0; i -= 4) {
        putc_uart("0123456789abcdef"[(v >> i) & 0xf]);
    }
}

#endif
