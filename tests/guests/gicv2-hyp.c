/*
 * GICv2 hypervisor-interface guest (issue 6 item 5): drives the list
 * registers of the virtualization extensions from EL1 (our CPUs have no
 * EL2, but GICH/GICV are plain MMIO), so the migrated "arm_gic_virt_state"
 * is never trivial: LR2 always holds an active interrupt, LR3 a pending one
 * masked by the virtual priority mask, and every round
 *   - LR0 (with the EOI bit) and LR1 are made pending,
 *   - GICV_IAR acknowledges LR0's interrupt, GICV_EOIR completes it, which
 *     raises the maintenance interrupt (PPI 9, INTID 25); its handler checks
 *     GICH_MISR/EISR and empties LR0,
 *   - LR1 is acknowledged and completed and shows up in GICH_ELRSR,
 *   - GICH_VMCR, GICH_APR and the parked LRs are checked.
 * Every 1000 rounds: "H rounds=<r> maint=<m> errors=<e>"; the first
 * failed check also prints "ERR <n> <value>".  Needs gic-version=2 with
 * has-virtualization-extensions.
 */
#include "gic-guest.h"

#define INTID_MAINT 25
#define LR(n) (GICH + 0x100 + 4 * (n))
#define LR_PENDING (1u << 28)
#define LR_ACTIVE  (1u << 29)
#define LR_EOI     (1u << 19)
#define LR_PRIO(p) (((uint32_t)(p) >> 3) << 23)
/* PMR 0xf8, binary points at their minimums (2, 3), Group 0 enabled. */
#define VMCR_VAL   ((0x1fu << 27) | (2u << 21) | (3u << 18) | 1u)
#define PARKED_LR3 (LR_PENDING | LR_PRIO(0xf8) | 900)

static volatile uint64_t maint, errors;
static volatile uint32_t maint_misr, maint_eisr;

static void check(int n, int ok, uint64_t v)
{
    if (!ok) {
        if (!errors) {
            puts_uart("ERR ");
            put_dec(n);
            putc_uart(' ');
            put_hex(v);
            putc_uart('\n');
        }
        errors++;
    }
}

void exc_handler(uint64_t idx, GuestFrame *f)
{
    uint32_t raw;
    unsigned irq;

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
    if (irq == INTID_MAINT) {
        maint_misr = REG32(GICH + 0x10);
        maint_eisr = REG32(GICH + 0x20);
        REG32(LR(0)) = 0;               /* done with it: EISR clears */
        maint++;
    }
    if (irq < 1020) {
        gic_eoi(raw);
    }
}

int main(void)
{
    uint32_t vtr;

    gic_dist_init();
    if (gic_v3) {
        puts_uart("gicv2-hyp: needs gic-version=2\n");
        guest_poweroff();
    }
    gic_cpu_init();
    gic_enable_ppi(INTID_MAINT, 0x40);
    vtr = REG32(GICH + 0x04);
    puts_uart("gicv2-hyp: list registers=");
    put_dec((vtr & 0x3f) + 1);
    putc_uart('\n');
    if ((vtr & 0x3f) + 1 < 4) {
        puts_uart("gicv2-hyp: needs 4 list registers\n");
        guest_poweroff();
    }
    REG32(GICH + 0x08) = VMCR_VAL;
    check(1, REG32(GICV + 0x04) == 0xf8 && REG32(GICV + 0x00) == 1,
          REG32(GICV + 0x04));
    REG32(GICH + 0x00) = 1;             /* GICH_HCR.En */
    REG32(LR(3)) = PARKED_LR3;
    irq_enable();

    for (uint64_t r = 1;; r++) {
        uint32_t vid0 = 32 + r % 200, prio0 = (r % 8) << 3;
        uint32_t lr2 = LR_ACTIVE | LR_PRIO(0x10) | (800 + r % 16);
        uint64_t m = maint;
        uint32_t a;

        REG32(LR(2)) = lr2;
        REG32(LR(0)) = LR_PENDING | LR_EOI | LR_PRIO(prio0) | vid0;
        REG32(LR(1)) = LR_PENDING | LR_PRIO(0x80) | 500;
        check(2, REG32(GICV + 0x18) == vid0, REG32(GICV + 0x18));
        a = REG32(GICV + 0x0c);
        check(3, a == vid0, a);
        check(4, ((REG32(LR(0)) >> 28) & 3) == 2, REG32(LR(0)));
        check(5, REG32(GICV + 0x14) == prio0, REG32(GICV + 0x14));
        REG32(GICV + 0x10) = a;
        for (int spin = 0; maint == m && spin < 100000; spin++) {
        }
        check(6, maint == m + 1, maint);
        check(7, (maint_misr & 1) && (maint_eisr & 1), maint_misr);
        a = REG32(GICV + 0x0c);
        check(8, a == 500, a);
        REG32(GICV + 0x10) = a;
        check(9, (REG32(GICH + 0x30) & 3) == 3, REG32(GICH + 0x30));
        check(10, REG32(GICH + 0xf0) == 0, REG32(GICH + 0xf0));
        check(11, REG32(LR(2)) == lr2, REG32(LR(2)));
        check(12, REG32(LR(3)) == PARKED_LR3, REG32(LR(3)));
        check(13, REG32(GICH + 0x08) == VMCR_VAL, REG32(GICH + 0x08));
        check(14, REG32(GICV + 0x0c) == 1023, 0);   /* LR3 stays masked */
        if (r % 1000 == 0) {
            puts_uart("H rounds=");
            put_dec(r);
            puts_uart(" maint=");
            put_dec(maint);
            puts_uart(" errors=");
            put_dec(errors);
            putc_uart('\n');
        }
    }
}
