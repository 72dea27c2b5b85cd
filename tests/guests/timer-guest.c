/*
 * Timer guest (issue 6 item 5): the virtual timer interrupts 100 times a
 * second of guest time (INTID 27, GICv2 or GICv3 detected), the handler
 * counts and re-arms with CVAL += period (so a late tick is caught up, never
 * dropped), and the counter is checked to be monotonic everywhere it is
 * read.  Every 100 ticks it prints
 *   T ticks=<n> exp=<m> back=<b> spurious=<s>
 * where exp is the tick count the elapsed counter implies: a lost or
 * doubled interrupt shows as ticks != exp (+-1), a counter that went
 * backwards as back > 0.  Runs until powered off by the test.
 */
#include "gic-guest.h"

#define HZ 100
#define PRINT_EVERY 100
#define INTID_VTIMER 27

static volatile uint64_t ticks, back, spurious, last_cnt;
static uint64_t period, start_cnt, next_cval;

static uint64_t read_cnt(void)
{
    uint64_t c;
    ISB();
    c = READ_SYSREG(cntvct_el0);
    if (c < last_cnt) {
        back++;
    }
    last_cnt = c;
    return c;
}

/* The main loop reads with IRQs masked, so the handler cannot interleave. */
static uint64_t read_cnt_masked(void)
{
    uint64_t c;
    __asm__ volatile("msr daifset, #2" ::: "memory");
    c = read_cnt();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    return c;
}

void exc_handler(uint64_t idx, GuestFrame *f)
{
    uint32_t raw;
    unsigned irq;

    if (idx != 5) {                       /* IRQ from EL1h */
        puts_uart("EXC ");
        put_dec(idx);
        puts_uart(" esr=");
        put_hex(f->esr);
        puts_uart(" elr=");
        put_hex(f->elr);
        putc_uart('\n');
        guest_poweroff();
    }
    irq = gic_ack(&raw);
    if (irq != INTID_VTIMER) {
        if (irq < 1020) {
            gic_eoi(raw);
        }
        spurious++;
        return;
    }
    read_cnt();
    next_cval += period;
    WRITE_SYSREG(cntv_cval_el0, next_cval);
    ISB();
    ticks++;
    gic_eoi(raw);
}

int main(void)
{
    uint64_t printed = 0;

    gic_dist_init();
    gic_cpu_init();
    gic_enable_ppi(INTID_VTIMER, 0xa0);
    puts_uart(gic_v3 ? "timer-guest: GICv3" : "timer-guest: GICv2");
    puts_uart(" cntfrq=");
    put_dec(READ_SYSREG(cntfrq_el0));
    putc_uart('\n');

    period = READ_SYSREG(cntfrq_el0) / HZ;
    start_cnt = read_cnt();
    next_cval = start_cnt + period;
    WRITE_SYSREG(cntv_cval_el0, next_cval);
    WRITE_SYSREG(cntv_ctl_el0, 1);
    ISB();
    irq_enable();
    for (;;) {
        wfi();
        read_cnt_masked();
        if (ticks >= printed + PRINT_EVERY) {
            uint64_t n = ticks;
            uint64_t exp = (read_cnt_masked() - start_cnt) / period;
            printed = n - n % PRINT_EVERY;
            puts_uart("T ticks=");
            put_dec(n);
            puts_uart(" exp=");
            put_dec(exp);
            puts_uart(" back=");
            put_dec(back);
            puts_uart(" spurious=");
            put_dec(spurious);
            putc_uart('\n');
        }
    }
}
