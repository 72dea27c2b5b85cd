/*
 * MMU and exception guest (issue 4 item 6b): builds stage-1 tables (4 KiB
 * granule, 39-bit VA), turns the MMU on and checks, printing "PASS" or
 * "FAIL <n> <what>" on the PL011, then powers off through PSCI:
 *   1 SVC round trip (ESR EC/imm, return past the SVC)
 *   2 data abort on an unmapped VA, recovered by skipping the load
 *   3 permission fault writing a read-only page (WnR, level 3)
 *   4 AT S1E1R / PAR_EL1 for a mapped and an unmapped VA
 *   5 EL0 task: runs from an EL0-executable page, uses its stack, SVC exit
 *   6 EL0 touching EL1-only memory: data abort from the lower EL
 *   7 remap a page, TLBI VAE1, the new mapping is seen
 *   8 UNDEF (UDF) reported with EC 0
 */
#include "guest.h"

#define PAGE 4096ULL
/* Descriptor bits (Arm ARM D8.3). */
#define D_VALID   1ULL
#define D_TABLE   2ULL
#define D_PAGE    3ULL
#define D_AF      (1ULL << 10)
#define D_SH_IN   (3ULL << 8)
#define D_AP_EL0  (1ULL << 6)
#define D_AP_RO   (1ULL << 7)
#define D_PXN     (1ULL << 53)
#define D_UXN     (1ULL << 54)
#define D_ATTR(n) ((uint64_t)(n) << 2)
#define NORMAL    (D_ATTR(1) | D_SH_IN | D_AF)
#define DEVICE    (D_ATTR(0) | D_AF | D_PXN | D_UXN)

extern char __user_start[], __user_end[], __ustack_bottom[], __ustack_top[];

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_low[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint64_t probe_page[512] __attribute__((aligned(4096)));
static volatile uint64_t alias_page[512] __attribute__((aligned(4096)));

/* What the exception handler saw last. */
static volatile uint64_t last_esr, last_far, last_idx, exc_count;
static volatile int skip_faults;

void exc_handler(uint64_t idx, GuestFrame *f)
{
    unsigned ec = f->esr >> 26;

    last_esr = f->esr;
    last_far = f->far;
    last_idx = idx;
    exc_count++;
    if (idx == 8 && ec == 0x15) {               /* SVC from EL0: exit */
        f->elr = (uint64_t)user_exit;
        f->spsr = 0x3c5;                        /* EL1h, DAIF masked */
        return;
    }
    if (idx == 8 && ec == 0x24) {               /* EL0 data abort: kill */
        f->x[0] = 0xdead;
        f->elr = (uint64_t)user_exit;
        f->spsr = 0x3c5;
        return;
    }
    if (ec == 0x15) {                           /* SVC at EL1 */
        f->x[0] = (f->esr & 0xffff) + 1000;
        return;                                 /* ELR is past the SVC */
    }
    if (skip_faults) {
        f->elr += 4;                            /* skip the faulting insn */
        return;
    }
    puts_uart("FAIL unexpected exception esr=");
    put_hex(f->esr);
    puts_uart(" elr=");
    put_hex(f->elr);
    puts_uart("\n");
    guest_poweroff();
}

static void map_tables(void)
{
    uint64_t ram = 0x40000000ULL;
    uint64_t us = (uint64_t)__user_start, ue = (uint64_t)__user_end;
    uint64_t ss = (uint64_t)__ustack_bottom;

    l1[0] = (uint64_t)l2_low | D_TABLE | D_VALID;
    l1[1] = (uint64_t)l2_ram | D_TABLE | D_VALID;
    /* PL011: one 2 MiB device block at 0x09000000 (L2 index 0x48). */
    l2_low[0x09000000 >> 21] = 0x09000000 | DEVICE | D_VALID;
    /* First 2 MiB of RAM in 4 KiB pages, the rest as 2 MiB blocks. */
    l2_ram[0] = (uint64_t)l3 | D_TABLE | D_VALID;
    for (unsigned i = 1; i < 128; i++) {
        l2_ram[i] = (ram + ((uint64_t)i << 21)) | NORMAL | D_VALID;
    }
    for (unsigned i = 0; i < 512; i++) {
        uint64_t pa = ram + i * PAGE;
        uint64_t d = pa | NORMAL | D_PAGE | D_UXN;
        if (pa >= us && pa < ue) {
            d = pa | NORMAL | D_PAGE | D_AP_EL0 | D_AP_RO;  /* EL0 code */
        } else if (pa == ss) {
            d = pa | NORMAL | D_PAGE | D_AP_EL0 | D_UXN | D_PXN; /* stack */
        }
        l3[i] = d;
    }
    WRITE_SYSREG(mair_el1, 0xff00);         /* attr0 device, attr1 normal */
    /* T0SZ=25, IRGN0/ORGN0 WBWA, SH0 inner, TG0 4K, EPD1, IPS 48-bit */
    WRITE_SYSREG(tcr_el1, 25 | (1 << 8) | (1 << 10) | (3 << 12) |
                 (1 << 23) | (5ULL << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish" ::: "memory");
    ISB();
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) |
                 (1 << 12));                /* M, C, I */
    ISB();
}

static uint64_t *l3_entry(volatile void *va)
{
    return &l3[((uint64_t)va - 0x40000000ULL) / PAGE];
}

/* ---- EL0 code: only this section is executable at EL0 ---- */
__attribute__((section(".user.text"), noinline))
static long user_task(long arg)
{
    volatile long buf[8];
    long sum = 0;
    for (int i = 0; i < 8; i++) {
        buf[i] = arg * i;
    }
    for (int i = 0; i < 8; i++) {
        sum += buf[i];
    }
    register long x0 __asm__("x0") = sum;
    __asm__ volatile("svc #0" : "+r"(x0) :: "memory");
    __builtin_unreachable();            /* the SVC never returns */
}

__attribute__((section(".user.text"), noinline))
static long user_bad(long addr)
{
    register long x0 __asm__("x0") = *(volatile long *)addr;
    __asm__ volatile("svc #0" : "+r"(x0) :: "memory");
    __builtin_unreachable();            /* the SVC never returns */
}

static int fails;

static void check(int n, const char *what, int ok)
{
    if (!ok && !fails) {
        puts_uart("FAIL ");
        put_dec(n);
        puts_uart(" ");
        puts_uart(what);
        puts_uart("\n");
    }
    if (!ok) {
        fails++;
    }
}

int main(void)
{
    map_tables();
    puts_uart("mmu-test: MMU on\n");

    /* 1: SVC round trip */
    {
        register long x0 __asm__("x0") = 0;
        __asm__ volatile("svc #42" : "+r"(x0) :: "memory");
        check(1, "svc", x0 == 1042 && (last_esr >> 26) == 0x15 &&
              (last_esr & 0xffff) == 42 && last_idx == 4);
    }
    /* 2: data abort on an unmapped VA (L1 index 2 is invalid) */
    {
        register long x0 __asm__("x0") = 0x1234;
        skip_faults = 1;
        __asm__ volatile("ldr %0, [%1]" : "+r"(x0)
                         : "r"(0x80000000ULL) : "memory");
        skip_faults = 0;
        check(2, "data abort", x0 == 0x1234 && (last_esr >> 26) == 0x25 &&
              (last_esr & 0x3f) == 0x05 && last_far == 0x80000000ULL);
    }
    /* 3: write to the read-only EL0 code page from EL1 */
    {
        volatile uint64_t *ro = (volatile uint64_t *)__user_start;
        uint64_t before = *ro;
        skip_faults = 1;
        *ro = 0;
        skip_faults = 0;
        check(3, "permission fault", *ro == before &&
              (last_esr >> 26) == 0x25 && (last_esr & 0x3f) == 0x0f &&
              (last_esr & (1 << 6)));
    }
    /* 4: AT S1E1R */
    {
        uint64_t par;
        __asm__ volatile("at s1e1r, %0" :: "r"(probe_page));
        ISB();
        par = READ_SYSREG(par_el1);
        check(4, "AT mapped", !(par & 1) &&
              (par & 0xfffffffff000ULL) == (uint64_t)probe_page);
        __asm__ volatile("at s1e1r, %0" :: "r"(0x80000000ULL));
        ISB();
        par = READ_SYSREG(par_el1);
        check(4, "AT unmapped", (par & 1) != 0);
    }
    /* 5: EL0 task */
    {
        long r = run_user(user_task, __ustack_top, 3);
        check(5, "EL0 task", r == 3 * 28 && last_idx == 8);
    }
    /* 6: EL0 reading EL1-only memory is killed */
    {
        long r = run_user(user_bad, __ustack_top, (long)probe_page);
        check(6, "EL0 fault", r == 0xdead && (last_esr >> 26) == 0x24 &&
              (last_esr & 0x3f) == 0x0f);
    }
    /* 7: remap probe_page onto alias_page; TLBI makes it visible */
    {
        uint64_t *e = l3_entry(probe_page);
        uint64_t old = *e;
        probe_page[0] = 111;
        alias_page[0] = 222;
        (void)probe_page[0];                /* now cached in the TLB */
        *e = ((uint64_t)alias_page & ~(PAGE - 1)) | (old & (PAGE - 1)) |
             (old & (D_PXN | D_UXN));
        __asm__ volatile("dsb ishst; tlbi vae1is, %0; dsb ish; isb"
                         :: "r"((uint64_t)probe_page >> 12) : "memory");
        check(7, "TLBI remap", probe_page[0] == 222);
        *e = old;
        __asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb"
                         ::: "memory");
        check(7, "TLBI restore", probe_page[0] == 111);
    }
    /* 8: UNDEF */
    {
        skip_faults = 1;
        __asm__ volatile(".word 0x00000000" ::: "memory");
        skip_faults = 0;
        check(8, "undef", (last_esr >> 26) == 0 && (last_esr & (1 << 25)));
    }
    if (!fails) {
        puts_uart("PASS\n");
    }
    return 0;
}
