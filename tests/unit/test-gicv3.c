/*
 * The emulated GICv3 (hw/intc/arm_gicv3*.c): distributor/redistributor
 * registers, delivery to the vCPU lines, priorities and masking, SGIs,
 * EOI modes, and the "arm_gicv3" section (bytes pinned, post_load
 * recomputation, hostile input).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "hw/intc/arm_gicv3.h"
#include "migration/vmstate.h"
#include "target/arm/cpu.h"

#define DIST   0x08000000ull
#define REDIST 0x080a0000ull
#define NCPU   2

static GICv3State *gic;

static uint32_t rd(hwaddr a)
{
    uint64_t v;
    ck_assert_int_eq(address_space_ld(&address_space_memory, a, 4, &v),
                     MEMTX_OK);
    return v;
}

static void wr(hwaddr a, uint32_t v)
{
    ck_assert_int_eq(address_space_st(&address_space_memory, a, 4, v),
                     MEMTX_OK);
}

static uint64_t icc_r(unsigned cpu, uint32_t enc)
{
    uint64_t v;
    ck_assert(gicv3_icc_read(gic, cpu, enc, &v));
    return v;
}

static void icc_w(unsigned cpu, uint32_t enc, uint64_t v)
{
    ck_assert(gicv3_icc_write(gic, cpu, enc, v));
}

static uint32_t irq_req(unsigned cpu)
{
    return arm_cpus[cpu]->env.interrupt_request;
}

static hwaddr sgi_base(unsigned cpu)
{
    return REDIST + cpu * GICV3_REDIST_STRIDE + 0x10000;
}

static void setup(void)
{
    for (unsigned i = 0; i < NCPU; i++) {
        arm_cpus[i] = g_new0(ARMCPU, 1);
        arm_cpus[i]->cpu_index = i;
        arm_cpus[i]->mp_affinity = i;
    }
    arm_cpu_count = NCPU;
    gic = gicv3_create(NCPU, 96, DIST, REDIST, &error_abort);
}

static void teardown(void)
{
    gicv3_destroy(gic);
    address_space_unmap_all(&address_space_memory);
    vmstate_unregister_all();
    for (unsigned i = 0; i < NCPU; i++) {
        g_free(arm_cpus[i]);
        arm_cpus[i] = NULL;
    }
}

/* Guest-style init: groups enabled, CPU interfaces open. */
static void enable_all(void)
{
    wr(DIST + 0x0, 3);                       /* EnableGrp0 | EnableGrp1 */
    for (unsigned c = 0; c < NCPU; c++) {
        icc_w(c, ICC_PMR_EL1, 0xff);
        icc_w(c, ICC_IGRPEN1_EL1, 1);
        icc_w(c, ICC_IGRPEN0_EL1, 1);
    }
}

/* SPI irq: Group 1, priority prio, routed to cpu, enabled, level. */
static void setup_spi(unsigned irq, uint8_t prio, unsigned cpu)
{
    wr(DIST + 0x80 + irq / 32 * 4, rd(DIST + 0x80 + irq / 32 * 4) |
       1u << (irq % 32));
    ck_assert_int_eq(address_space_st(&address_space_memory,
                                      DIST + 0x400 + irq, 1, prio), MEMTX_OK);
    ck_assert_int_eq(address_space_st(&address_space_memory,
                                      DIST + 0x6000 + irq * 8, 8, cpu),
                     MEMTX_OK);
    wr(DIST + 0x100 + irq / 32 * 4, 1u << (irq % 32));
}

START_TEST(test_reset_and_ids)
{
    ck_assert_uint_eq(rd(DIST + 0x0), 0x50);             /* ARE | DS */
    ck_assert_uint_eq(rd(DIST + 0x4), 2 | (15u << 19));  /* 96 INTIDs */
    ck_assert_uint_eq(rd(DIST + 0xffe8), 0x3b);          /* PIDR2 ArchRev 3 */
    ck_assert_uint_eq(rd(REDIST + 0xffe8), 0x3b);
    /* GICR_TYPER: CPU 1 is the last, affinity 0.0.0.1, number 1. */
    uint64_t typer;
    ck_assert_int_eq(address_space_ld(&address_space_memory,
                                      REDIST + GICV3_REDIST_STRIDE + 8, 8,
                                      &typer), MEMTX_OK);
    ck_assert_uint_eq(typer, (1ull << 32) | (1u << 8) | (1u << 4));
    ck_assert_uint_eq(rd(REDIST + 8) & (1u << 4), 0);
    /* WAKER: asleep at reset; waking clears ChildrenAsleep. */
    ck_assert_uint_eq(rd(REDIST + 0x14), 6);
    wr(REDIST + 0x14, 0);
    ck_assert_uint_eq(rd(REDIST + 0x14), 0);
    /* SGIs are edge-triggered, read-only. */
    ck_assert_uint_eq(rd(sgi_base(0) + 0xc00), 0xaaaaaaaa);
    ck_assert_uint_eq(icc_r(0, ICC_SRE_EL1), 7);
    ck_assert_uint_eq(icc_r(0, ICC_CTLR_EL1), (4u << 8) | (1u << 15));
    ck_assert_uint_eq(icc_r(0, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    uint64_t dummy;
    ck_assert(!gicv3_icc_read(gic, 0, ARM_SYSREG_ENC(3, 0, 12, 13, 0),
                              &dummy));
}
END_TEST

START_TEST(test_spi_level_cycle)
{
    qemu_irq line = gicv3_get_spi(gic, 1);          /* INTID 33 */

    enable_all();
    setup_spi(33, 0x80, 0);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    qemu_set_irq(line, 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(DIST + 0x204), 1u << 1);   /* ISPENDR1 */
    ck_assert_uint_eq(icc_r(0, ICC_HPPIR1_EL1), 33);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 33);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(DIST + 0x304), 1u << 1);   /* ISACTIVER1 */
    ck_assert_uint_eq(icc_r(0, ICC_RPR_EL1), 0x80);
    ck_assert_uint_eq(icc_r(0, ICC_AP1R0_EL1), 1u << (0x80 >> 3));
    /* EOI with the line still high: pending again at once. */
    icc_w(0, ICC_EOIR1_EL1, 33);
    ck_assert_uint_eq(rd(DIST + 0x304), 0);
    ck_assert_uint_eq(icc_r(0, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    qemu_set_irq(line, 0);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    /* Routed to CPU 1 instead. */
    setup_spi(33, 0x80, 1);
    qemu_set_irq(line, 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
}
END_TEST

START_TEST(test_edge_and_ispendr)
{
    enable_all();
    setup_spi(40, 0x40, 0);
    wr(DIST + 0xc00 + 40 / 16 * 4, 2u << (2 * (40 % 16)));   /* edge */
    qemu_set_irq(gicv3_get_spi(gic, 8), 1);
    qemu_set_irq(gicv3_get_spi(gic, 8), 0);
    /* The edge latched. */
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 40);
    icc_w(0, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    /* Software pend and clear. */
    wr(DIST + 0x204, 1u << 8);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    wr(DIST + 0x284, 1u << 8);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* Disabled interrupts are not signalled. */
    wr(DIST + 0x204, 1u << 8);
    wr(DIST + 0x184, 1u << 8);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(DIST + 0x104), 0);
}
END_TEST

START_TEST(test_priority_mask_preemption)
{
    enable_all();
    setup_spi(33, 0x80, 0);
    setup_spi(34, 0x40, 0);
    setup_spi(35, 0xa0, 0);
    qemu_set_irq(gicv3_get_spi(gic, 1), 1);
    qemu_set_irq(gicv3_get_spi(gic, 2), 1);
    /* Highest priority (lowest value) first. */
    ck_assert_uint_eq(icc_r(0, ICC_HPPIR1_EL1), 34);
    /* PMR at the interrupt's priority masks it. */
    icc_w(0, ICC_PMR_EL1, 0x40);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    icc_w(0, ICC_PMR_EL1, 0xff);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 34);
    /* While 0x40 is active, 0x80 does not preempt... */
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    qemu_set_irq(gicv3_get_spi(gic, 2), 0);
    icc_w(0, ICC_EOIR1_EL1, 34);
    /* ...and once it is done, 0x80 is taken; then 0xa0 cannot preempt. */
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 33);
    qemu_set_irq(gicv3_get_spi(gic, 3), 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* A higher-priority SPI does preempt the active 0x80. */
    ck_assert_int_eq(address_space_st(&address_space_memory,
                                      DIST + 0x400 + 35, 1, 0x20), MEMTX_OK);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    /* Group disable at the distributor hides everything. */
    wr(DIST + 0x0, 0);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
}
END_TEST

START_TEST(test_group0_is_fiq)
{
    enable_all();
    setup_spi(33, 0x80, 0);
    wr(DIST + 0x84, 0);                              /* back to Group 0 */
    qemu_set_irq(gicv3_get_spi(gic, 1), 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_FIQ, CPU_INTERRUPT_FIQ);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), GICV3_SPURIOUS);
    ck_assert_uint_eq(icc_r(0, ICC_IAR0_EL1), 33);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_FIQ, 0);
    icc_w(0, ICC_IGRPEN0_EL1, 0);
    icc_w(0, ICC_EOIR0_EL1, 33);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_FIQ, 0);
}
END_TEST

START_TEST(test_eoimode_split)
{
    enable_all();
    setup_spi(33, 0x80, 0);
    icc_w(0, ICC_CTLR_EL1, 2);                       /* EOImode */
    qemu_set_irq(gicv3_get_spi(gic, 1), 1);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 33);
    icc_w(0, ICC_EOIR1_EL1, 33);
    /* Priority dropped, still active. */
    ck_assert_uint_eq(icc_r(0, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(rd(DIST + 0x304), 1u << 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    icc_w(0, ICC_DIR_EL1, 33);
    ck_assert_uint_eq(rd(DIST + 0x304), 0);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
}
END_TEST

START_TEST(test_sgi_and_ppi)
{
    enable_all();
    for (unsigned c = 0; c < NCPU; c++) {
        wr(sgi_base(c) + 0x80, 0xffffffff);          /* all Group 1 */
        wr(sgi_base(c) + 0x100, 0xffffffff);         /* all enabled */
    }
    /* CPU 0 sends SGI 5 to CPU 1 (TargetList bit 1, Aff1.2.3 = 0). */
    icc_w(0, ICC_SGI1R_EL1, (5ull << 24) | 2);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(rd(sgi_base(1) + 0x200), 1u << 5);
    ck_assert_uint_eq(icc_r(1, ICC_IAR1_EL1), 5);
    icc_w(1, ICC_EOIR1_EL1, 5);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);
    /* IRM: everyone but the sender. */
    icc_w(1, ICC_SGI1R_EL1, (3ull << 24) | (1ull << 40));
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 3);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);
    /* Wrong Aff1: nobody. */
    icc_w(0, ICC_SGI1R_EL1, (4ull << 24) | (1ull << 16) | 3);
    ck_assert_uint_eq(rd(sgi_base(0) + 0x200) | rd(sgi_base(1) + 0x200), 0);
    /* The virtual timer PPI of CPU 1 (level). */
    qemu_set_irq(gicv3_get_ppi(gic, 1, 27), 1);
    ck_assert_uint_eq(icc_r(1, ICC_HPPIR1_EL1), 27);
    ck_assert_uint_eq(rd(sgi_base(1) + 0x200), 1u << 27);
    qemu_set_irq(gicv3_get_ppi(gic, 1, 27), 0);
    ck_assert_uint_eq(icc_r(1, ICC_HPPIR1_EL1), GICV3_SPURIOUS);
    ck_assert_ptr_null(gicv3_get_ppi(gic, 2, 27));
    ck_assert_ptr_null(gicv3_get_spi(gic, 64));
}
END_TEST

static uint8_t *save(size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *buf;

    ck_assert(vmstate_save_state(f, &vmstate_gicv3, gic, NULL, &err));
    buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

static bool load(const uint8_t *buf, size_t len, Error **errp)
{
    QEMUFile *r = qemu_file_new_mem_reader(buf, len);
    bool ok = vmstate_load_state(r, &vmstate_gicv3, gic, 1, errp);
    qemu_fclose(r);
    return ok;
}

#define DIST_BYTES (4 + 8 + 7 * 128 + 1020 + 8 * 1020 + 4 * 64)
#define CPU_BYTES 272
static const char shift_name[] = "arm_gicv3/gicd_no_migration_shift_bug";

START_TEST(test_vmstate_bytes)
{
    size_t len;

    enable_all();
    setup_spi(33, 0xa0, 1);
    icc_w(1, ICC_PMR_EL1, 0xf0);
    g_autofree uint8_t *buf = save(&len);
    ck_assert_uint_eq(len, DIST_BYTES + NCPU * CPU_BYTES +
                      2 + strlen(shift_name) + 4 + 1);
    ck_assert_mem_eq(buf, "\x00\x00\x00\x53", 4);            /* gicd_ctlr */
    /* group word 1 (INTID 33 -> bit 1), big-endian. */
    ck_assert_mem_eq(buf + 12 + 4, "\x00\x00\x00\x02", 4);
    ck_assert_uint_eq(buf[12 + 7 * 128 + 33], 0xa0);           /* priority */
    ck_assert_mem_eq(buf + 12 + 7 * 128 + 1020 + 33 * 8,
                     "\x00\x00\x00\x00\x00\x00\x00\x01", 8);   /* irouter */
    /* CPU 1: gicr_waker (offset 16) = 6, icc_pmr_el1 at offset 112. */
    const uint8_t *c1 = buf + DIST_BYTES + CPU_BYTES;
    ck_assert_mem_eq(c1 + 16, "\x00\x00\x00\x06", 4);
    ck_assert_mem_eq(c1 + 112, "\x00\x00\x00\x00\x00\x00\x00\xf0", 8);
    /* icc_igrpen[G1NS] at offset 112 + 8 + 24 + 96 + 16. */
    ck_assert_mem_eq(c1 + 256, "\x00\x00\x00\x00\x00\x00\x00\x01", 8);
    /* The marker subsection closes the section. */
    const uint8_t *sub = buf + DIST_BYTES + NCPU * CPU_BYTES;
    ck_assert_uint_eq(sub[0], 0x05);
    ck_assert_uint_eq(sub[1], strlen(shift_name));
    ck_assert_mem_eq(sub + 2, shift_name, strlen(shift_name));
    ck_assert_mem_eq(sub + 2 + strlen(shift_name), "\x00\x00\x00\x01\x01", 5);
}
END_TEST

START_TEST(test_vmstate_post_load_recomputes)
{
    size_t len;
    Error *err = NULL;

    enable_all();
    setup_spi(33, 0x80, 0);
    qemu_set_irq(gicv3_get_spi(gic, 1), 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    g_autofree uint8_t *buf = save(&len);

    /* A fresh destination: nothing pending, line low. */
    gicv3_destroy(gic);
    address_space_unmap_all(&address_space_memory);
    arm_cpus[0]->env.interrupt_request = 0;
    gic = gicv3_create(NCPU, 96, DIST, REDIST, &error_abort);
    ck_assert_uint_eq(icc_r(0, ICC_HPPIR1_EL1), GICV3_SPURIOUS);
    ck_assert(load(buf, len, &err));
    /* post_load rebuilt the HPPI cache and raised the line. */
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(icc_r(0, ICC_HPPIR1_EL1), 33);
    ck_assert_uint_eq(icc_r(0, ICC_IAR1_EL1), 33);
}
END_TEST

START_TEST(test_vmstate_sre_subsection)
{
    size_t len;
    Error *err = NULL;

    gic->cpu[1].icc_sre_el1 = 1;
    g_autofree uint8_t *buf = save(&len);
    /* Sent only when != 7: this stream carries it... */
    ck_assert_uint_eq(len, DIST_BYTES + NCPU * CPU_BYTES + 2 +
                      strlen("arm_gicv3_cpu/sre_el1") + 4 + 8 +
                      2 + strlen(shift_name) + 4 + 1);
    /* ...and our CPU interface cannot run with SRE off: one-line refusal. */
    ck_assert(!load(buf, len, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "ICC_SRE_EL1"));
    ck_assert_ptr_null(strchr(error_get_pretty(err), '\n'));
    error_free(err);
}
END_TEST

START_TEST(test_vmstate_hostile)
{
    size_t len;
    Error *err = NULL;

    g_autofree uint8_t *buf = save(&len);
    /* Truncated in the middle of the per-CPU state. */
    ck_assert(!load(buf, DIST_BYTES + 100, &err));
    ck_assert_ptr_nonnull(err);
    error_free(err);
    err = NULL;
    /* Pending bits for INTIDs beyond num-irq are dropped. */
    g_autofree uint8_t *evil = g_memdup2(buf, len);
    memset(evil + 12 + 3 * 128 + 3 * 4, 0xff, 4);     /* pending word 3 */
    ck_assert(load(evil, len, &err));
    ck_assert_uint_eq(gic->pending[3], 0);
    /* An out-of-range binary point is refused. */
    evil[DIST_BYTES + 120 + 7] = 9;                     /* icc_bpr[0] */
    ck_assert(!load(evil, len, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "ICC_BPR0"));
    error_free(err);
}
END_TEST

START_TEST(test_shift_bug_marker)
{
    size_t len;
    Error *err = NULL;

    enable_all();
    setup_spi(33, 0x80, 0);
    g_autofree uint8_t *buf = save(&len);
    /* Without the marker (an old stream), emulation keeps bits as sent. */
    size_t cut = DIST_BYTES + NCPU * CPU_BYTES;
    ck_assert(load(buf, cut, &err));
    ck_assert(gicv3_bmp_test(gic->enabled, 33));
    ck_assert(gic->gicd_no_migration_shift_bug);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gicv3");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_and_ids);
    tcase_add_test(tc, test_spi_level_cycle);
    tcase_add_test(tc, test_edge_and_ispendr);
    tcase_add_test(tc, test_priority_mask_preemption);
    tcase_add_test(tc, test_group0_is_fiq);
    tcase_add_test(tc, test_eoimode_split);
    tcase_add_test(tc, test_sgi_and_ppi);
    tcase_add_test(tc, test_vmstate_bytes);
    tcase_add_test(tc, test_vmstate_post_load_recomputes);
    tcase_add_test(tc, test_vmstate_sre_subsection);
    tcase_add_test(tc, test_vmstate_hostile);
    tcase_add_test(tc, test_shift_bug_marker);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
