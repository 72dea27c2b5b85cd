/*
 * SGI ping-pong guest (issue 6 item 5): CPU 0 starts every other CPU with
 * PSCI CPU_ON, then a token travels round the ring CPU 0 -> 1 -> ... -> 0
 * as SGI 1 (GICv2 GICD_SGIR or GICv3 ICC_SGI1R_EL1, detected).  Each
 * receiver checks it is the CPU the hop count says should hold the token:
 * a lost SGI stops the ring (the test sees no progress), a duplicated one
 * shows as order errors.  CPU 0 prints, every 1000 rounds,
 *   P rounds=<r> cpus=<n> order_err=<e> hops=<h0>,<h1>,...
 * Runs until powered off by the test.
 */
#include "gic-guest.h"

#define MAX_CPUS 8
#define SGI_TOKEN 1
#define PSCI_CPU_ON 0xc4000003UL

/* Referenced from the secondary entry code below. */
uint8_t sec_stacks[MAX_CPUS][8192] __attribute__((aligned(16), used));
static volatile uint64_t cpu_aff[MAX_CPUS];
static volatile int ready[MAX_CPUS];
static volatile uint64_t hops, order_err, count[MAX_CPUS];
static volatile unsigned ncpu;

void secondary_entry(void);
__asm__(
    "    .text\n"
    "    .global secondary_entry\n"
    "secondary_entry:\n"
    "    ldr     x1, =sec_stacks\n"
    "    add     x2, x0, #1\n"
    "    lsl     x2, x2, #13\n"
    "    add     sp, x1, x2\n"
    "    ldr     x1, =vectors\n"
    "    msr     vbar_el1, x1\n"
    "    mov     x1, #(3 << 20)\n"
    "    msr     cpacr_el1, x1\n"
    "    isb\n"
    "    bl      secondary_main\n"
    "1:  wfi\n"
    "    b       1b\n");

static long psci_cpu_on(uint64_t target, uint64_t entry, uint64_t ctx)
{
    register uint64_t x0 __asm__("x0") = PSCI_CPU_ON;
    register uint64_t x1 __asm__("x1") = target;
    register uint64_t x2 __asm__("x2") = entry;
    register uint64_t x3 __asm__("x3") = ctx;
    /* SMCCC lets the callee clobber x1-x3 (KVM zeroes them). */
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     : : "memory");
    return (long)x0;
}

static unsigned my_index(void)
{
    uint64_t me = mpidr();
    for (unsigned i = 0; i < MAX_CPUS; i++) {
        if (cpu_aff[i] == me) {
            return i;
        }
    }
    return 0;
}

static uint64_t printed;

/* CPU 0 reports from its handler: with one CPU the ring never idles. */
static void report(void)
{
    if (hops / ncpu < printed + 1000) {
        return;
    }
    printed = hops / ncpu;
    printed -= printed % 1000;
    puts_uart("P rounds=");
    put_dec(printed);
    puts_uart(" cpus=");
    put_dec(ncpu);
    puts_uart(" order_err=");
    put_dec(order_err);
    puts_uart(" hops=");
    for (unsigned i = 0; i < ncpu; i++) {
        put_dec(count[i]);
        putc_uart(i + 1 < ncpu ? ',' : '\n');
    }
}

static void pass_token(unsigned from)
{
    unsigned next = (from + 1) % ncpu;
    __asm__ volatile("dsb sy" ::: "memory");
    gic_send_sgi(SGI_TOKEN, cpu_aff[next], next);
}

void exc_handler(uint64_t idx, GuestFrame *f)
{
    uint32_t raw;
    unsigned irq, me;

    if (idx != 5) {
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
    if (irq >= 1020) {
        return;
    }
    if (irq == SGI_TOKEN) {
        me = my_index();
        if (hops % ncpu != me) {
            order_err++;
        }
        hops++;
        count[me]++;
        gic_eoi(raw);
        if (me == 0) {
            report();
        }
        pass_token(me);
        return;
    }
    gic_eoi(raw);
}

static void cpu_setup(void)
{
    gic_cpu_init();
    gic_enable_ppi(SGI_TOKEN, 0x80);    /* SGIs: same banked registers */
}

void secondary_main(uint64_t idx);
void secondary_main(uint64_t idx)
{
    cpu_setup();
    ready[idx] = 1;
    irq_enable();
    for (;;) {
        wfi();
    }
}

int main(void)
{
    gic_dist_init();
    cpu_aff[0] = mpidr();
    cpu_setup();
    ncpu = 1;
    for (unsigned i = 1; i < MAX_CPUS; i++) {
        /* virt numbers CPUs Aff1 = i / 8, Aff0 = i % 8. */
        cpu_aff[i] = ((uint64_t)(i / 8) << 8) | (i % 8);
        if (psci_cpu_on(cpu_aff[i], (uint64_t)secondary_entry, i) != 0) {
            cpu_aff[i] = ~0ULL;
            break;
        }
        ncpu = i + 1;
    }
    for (unsigned i = 1; i < ncpu; i++) {
        while (!ready[i]) {
        }
    }
    puts_uart(gic_v3 ? "sgi-pingpong: GICv3" : "sgi-pingpong: GICv2");
    puts_uart(" cpus=");
    put_dec(ncpu);
    putc_uart('\n');
    irq_enable();
    pass_token(ncpu - 1);                /* to CPU 0 itself first */
    for (;;) {
        wfi();
    }
}
