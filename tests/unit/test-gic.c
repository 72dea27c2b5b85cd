/*
 * The emulated GICv2 (hw/intc/arm_gic*.c) and its state section: banked
 * distributor registers, the CPU interface (enable, pending, active,
 * priority, EOI, SGIs with source ids), the virtualization extensions
 * (list registers, GICV, GICH_VMCR as a view, EISR/ELRSR/MISR, the
 * maintenance interrupt), and the "arm_gic" section: bytes pinned, the
 * virt subsection cases, post_load recomputation, hostile input.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_intc_cpu.h"
#include "migration/vmstate.h"
#include "target/arm/cpu.h"

#define GICD 0x08000000ull
#define GICC 0x08010000ull
#define GICH 0x08030000ull
#define GICV 0x08040000ull
#define NCPU 2

static const GICMap map = { GICD, GICC, GICH, GICV };
static GICState *gic;

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

static void wrb(hwaddr a, uint8_t v)
{
    ck_assert_int_eq(address_space_st(&address_space_memory, a, 1, v),
                     MEMTX_OK);
}

static uint32_t irq_req(unsigned cpu)
{
    return arm_cpus[cpu]->env.interrupt_request;
}

static void make_cpus(void)
{
    for (unsigned i = 0; i < NCPU; i++) {
        arm_cpus[i] = g_new0(ARMCPU, 1);
        arm_cpus[i]->cpu_index = i;
    }
    arm_cpu_count = NCPU;
}

static void setup(void)
{
    make_cpus();
    arm_intc_set_current_cpu(0);
    gic = gic_create(NCPU, 96, true, &map, &error_abort);
}

static void teardown(void)
{
    gic_destroy(gic);
    address_space_unmap_all(&address_space_memory);
    vmstate_unregister_all();
    for (unsigned i = 0; i < NCPU; i++) {
        g_free(arm_cpus[i]);
        arm_cpus[i] = NULL;
    }
}

static void recreate(bool virt)
{
    gic_destroy(gic);
    address_space_unmap_all(&address_space_memory);
    gic = gic_create(NCPU, 96, virt, &map, &error_abort);
}

/* Linux-style init of both CPU interfaces, everything Group 0 -> IRQ. */
static void enable_all(void)
{
    wr(GICD + 0x000, 1);
    for (unsigned c = 0; c < NCPU; c++) {
        arm_intc_set_current_cpu(c);
        wr(GICC + 0x00, 1);
        wr(GICC + 0x04, 0xff);
    }
    arm_intc_set_current_cpu(0);
}

static void setup_spi(unsigned irq, uint8_t prio, uint8_t targets)
{
    wrb(GICD + 0x400 + irq, prio);
    wrb(GICD + 0x800 + irq, targets);
    wr(GICD + 0x100 + irq / 32 * 4, 1u << (irq % 32));
}

START_TEST(test_reset_and_ids)
{
    ck_assert_uint_eq(rd(GICD + 0x004), 2 | (1u << 5));   /* 96 irqs, 2 CPUs */
    ck_assert_uint_eq(rd(GICD + 0xfe8), 0x2b);             /* ArchRev 2 */
    ck_assert_uint_eq(rd(GICC + 0xfc), 0x0202143b);
    ck_assert_uint_eq(rd(GICD + 0x100), 0xffff);            /* SGIs enabled */
    ck_assert_uint_eq(rd(GICD + 0xc00), 0xaaaaaaaa);        /* SGIs edge */
    ck_assert_uint_eq(rd(GICC + 0x0c), GIC_SPURIOUS);
    ck_assert_uint_eq(rd(GICC + 0x14), 0xff);               /* RPR idle */
    /* ITARGETSR of a banked interrupt reads as the accessing CPU. */
    arm_intc_set_current_cpu(1);
    ck_assert_uint_eq(rd(GICD + 0x800) & 0xff, 2);
    ck_assert_uint_eq(rd(GICH + 0x04), (4u << 29) | (4u << 26) | 3);
}
END_TEST

START_TEST(test_spi_cycle)
{
    qemu_irq line = gic_get_spi(gic, 1);

    enable_all();
    setup_spi(33, 0x80, 1);
    qemu_set_irq(line, 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(GICC + 0x18), 33);                 /* HPPIR */
    ck_assert_uint_eq(rd(GICC + 0x0c), 33);                 /* IAR */
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(GICD + 0x304), 1u << 1);           /* active */
    ck_assert_uint_eq(rd(GICC + 0x14), 0x80);               /* RPR */
    ck_assert_uint_eq(rd(GICC + 0xd0 + 4 * (0x40 / 32)),
                      1u << (0x40 % 32));                   /* APR level */
    qemu_set_irq(line, 0);
    wr(GICC + 0x10, 33);                                    /* EOIR */
    ck_assert_uint_eq(rd(GICD + 0x304), 0);
    ck_assert_uint_eq(rd(GICC + 0x14), 0xff);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* Retarget to CPU 1. */
    wrb(GICD + 0x800 + 33, 2);
    qemu_set_irq(line, 1);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* Distributor off: nothing is forwarded. */
    wr(GICD + 0x000, 0);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);
}
END_TEST

START_TEST(test_priority_and_preemption)
{
    enable_all();
    setup_spi(33, 0x80, 1);
    setup_spi(34, 0x40, 1);
    wr(GICD + 0x204, (1u << 1) | (1u << 2));                /* ISPENDR */
    ck_assert_uint_eq(rd(GICC + 0x18), 34);
    wr(GICC + 0x04, 0x40);                                  /* mask it */
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(GICC + 0x0c), GIC_SPURIOUS);
    wr(GICC + 0x04, 0xff);
    ck_assert_uint_eq(rd(GICC + 0x0c), 34);
    /* 0x80 cannot preempt 0x40. */
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    wr(GICC + 0x10, 34);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(rd(GICC + 0x0c), 33);
    /*
     * With BPR 7 every priority is in one group (group priority 0): once
     * 33 is active, even priority 0x00 cannot preempt it.
     */
    wr(GICC + 0x10, 33);
    wr(GICC + 0x08, 7);
    wr(GICD + 0x204, 1u << 1);
    ck_assert_uint_eq(rd(GICC + 0x0c), 33);
    ck_assert_uint_eq(rd(GICC + 0x14), 0);
    setup_spi(35, 0x00, 1);
    wr(GICD + 0x204, 1u << 3);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    wr(GICC + 0x10, 33);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    /* ICPENDR clears a latched pending state. */
    wr(GICD + 0x284, 1u << 3);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    ck_assert_uint_eq(rd(GICD + 0x204), 0);
}
END_TEST

START_TEST(test_sgi_sources_and_banking)
{
    enable_all();
    /* CPU 0 -> CPU 1, SGI 3. */
    wr(GICD + 0xf00, (2u << 16) | 3);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* CPU 1 -> all others (CPU 0), SGI 3. */
    arm_intc_set_current_cpu(1);
    wr(GICD + 0xf00, (1u << 24) | 3);
    ck_assert_uint_eq(rd(GICD + 0xf10) & 0xff000000, 1u << 24); /* src CPU0 */
    ck_assert_uint_eq(rd(GICC + 0x0c), 3);                  /* from CPU 0 */
    wr(GICC + 0x10, 3);
    arm_intc_set_current_cpu(0);
    ck_assert_uint_eq(rd(GICC + 0x0c), 3 | (1u << 10));     /* from CPU 1 */
    wr(GICC + 0x10, 3 | (1u << 10));
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* Banked priorities and enables of PPIs. */
    wrb(GICD + 0x400 + 27, 0x30);
    wr(GICD + 0x100, 1u << 27);
    arm_intc_set_current_cpu(1);
    ck_assert_uint_eq(rd(GICD + 0x400 + 24) >> 24, 0);
    ck_assert_uint_eq(rd(GICD + 0x100) & (1u << 27), 0);
    arm_intc_set_current_cpu(0);
    ck_assert_uint_eq(rd(GICD + 0x400 + 24) >> 24, 0x30);
    qemu_set_irq(gic_get_ppi(gic, 0, 27), 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    qemu_set_irq(gic_get_ppi(gic, 1, 27), 1);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_HARD, 0);  /* disabled */
}
END_TEST

START_TEST(test_groups)
{
    enable_all();
    setup_spi(33, 0x80, 1);
    wr(GICD + 0x084, 1u << 1);                 /* Group 1 */
    wr(GICD + 0x000, 3);
    wr(GICC + 0x00, 3);                        /* both groups, AckCtl = 0 */
    wr(GICD + 0x204, 1u << 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    ck_assert_uint_eq(rd(GICC + 0x0c), 1022);  /* Group 1 without AckCtl */
    wr(GICC + 0x00, 7);
    ck_assert_uint_eq(rd(GICC + 0x0c), 33);
    ck_assert_uint_eq(rd(GICC + 0xe0 + 4 * (0x40 / 32)), 1u << (0x40 % 32));
    wr(GICC + 0x10, 33);
    /* Group 0 with FIQEn is a FIQ. */
    wr(GICD + 0x084, 0);
    wr(GICC + 0x00, 3 | (1u << 3));
    wr(GICD + 0x204, 1u << 1);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_FIQ, CPU_INTERRUPT_FIQ);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
}
END_TEST

START_TEST(test_eoimode_dir)
{
    enable_all();
    setup_spi(33, 0x80, 1);
    wr(GICC + 0x00, 1 | (1u << 9));
    wr(GICD + 0x204, 1u << 1);
    ck_assert_uint_eq(rd(GICC + 0x0c), 33);
    wr(GICC + 0x10, 33);
    ck_assert_uint_eq(rd(GICC + 0x14), 0xff);
    ck_assert_uint_eq(rd(GICD + 0x304), 1u << 1);
    wr(GICC + 0x1000, 33);
    ck_assert_uint_eq(rd(GICD + 0x304), 0);
}
END_TEST

/* A list register: pending, Group 1, priority prio, virtual id vid. */
static uint32_t lr_val(unsigned vid, uint8_t prio, bool eoi)
{
    return GICH_LR_PENDING | GICH_LR_GRP1 | ((uint32_t)(prio >> 3) << 23) |
           (eoi ? GICH_LR_EOI : 0) | vid;
}

static void virt_guest_on(void)
{
    wr(GICH + 0x00, GICH_HCR_EN);
    wr(GICV + 0x00, 2 | (1u << 2));            /* Grp1 enabled, AckCtl */
    wr(GICV + 0x04, 0xf8);
}

START_TEST(test_virt_lr_cycle)
{
    enable_all();
    virt_guest_on();
    ck_assert_uint_eq(rd(GICH + 0x30), 0xf);   /* ELRSR: all empty */
    wr(GICH + 0x100, lr_val(27, 0xa0, true));
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_VIRQ, CPU_INTERRUPT_VIRQ);
    ck_assert_uint_eq(irq_req(1) & CPU_INTERRUPT_VIRQ, 0);
    ck_assert_uint_eq(rd(GICH + 0x30), 0xe);
    ck_assert_uint_eq(rd(GICV + 0x18), 27);
    ck_assert_uint_eq(rd(GICV + 0x0c), 27);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_VIRQ, 0);
    ck_assert_uint_eq(GICH_LR_STATE(rd(GICH + 0x100)), 2);   /* active */
    ck_assert_uint_eq(rd(GICV + 0x14), 0xa0);
    ck_assert_uint_eq(rd(GICH + 0xf0), 1u << (0xa0 >> 3));   /* GICH_APR */
    ck_assert_uint_eq(rd(GICV + 0xd0), 1u << (0xa0 >> 3));   /* same state */
    /* EOI with the EOI bit: LR empties, EISR and MISR.EOI, maintenance. */
    wr(GICD + 0x100, 1u << GIC_MAINT_INTID);
    wr(GICV + 0x10, 27);
    ck_assert_uint_eq(GICH_LR_STATE(rd(GICH + 0x100)), 0);
    ck_assert_uint_eq(rd(GICH + 0x20), 1);     /* EISR0 */
    ck_assert_uint_eq(rd(GICH + 0x30), 0xe);   /* not empty for ELRSR */
    ck_assert_uint_eq(rd(GICH + 0x10) & 1, 1); /* MISR.EOI */
    ck_assert_uint_eq(rd(GICD + 0x200) & (1u << GIC_MAINT_INTID),
                      1u << GIC_MAINT_INTID);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, CPU_INTERRUPT_HARD);
    /* The hypervisor clears the LR: maintenance goes away. */
    wr(GICH + 0x100, 0);
    ck_assert_uint_eq(rd(GICH + 0x20), 0);
    ck_assert_uint_eq(rd(GICH + 0x30), 0xf);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_HARD, 0);
    /* EOI of an id no LR holds counts in GICH_HCR.EOICount. */
    wr(GICV + 0x10, 40);
    ck_assert_uint_eq(rd(GICH + 0x00) >> 27, 1);
}
END_TEST

START_TEST(test_vmcr_is_a_view)
{
    wr(GICV + 0x04, 0x58);
    wr(GICV + 0x08, 5);
    uint32_t vmcr = rd(GICH + 0x08);
    ck_assert_uint_eq(vmcr >> 27, 0x58 >> 3);
    ck_assert_uint_eq((vmcr >> 21) & 7, 5);
    wr(GICH + 0x08, (0x10u << 27) | (3u << 21) | (4u << 18) | 3);
    ck_assert_uint_eq(rd(GICV + 0x04), 0x80);
    ck_assert_uint_eq(rd(GICV + 0x08), 3);
    ck_assert_uint_eq(rd(GICV + 0x1c), 4);
    ck_assert_uint_eq(rd(GICV + 0x00), 3);
    /* Each CPU has its own. */
    arm_intc_set_current_cpu(1);
    ck_assert_uint_eq(rd(GICV + 0x04), 0);
}
END_TEST

START_TEST(test_virt_hw_deactivates_physical)
{
    enable_all();
    virt_guest_on();
    setup_spi(40, 0x80, 1);
    wr(GICD + 0x204, 1u << 8);
    ck_assert_uint_eq(rd(GICC + 0x0c), 40);
    wr(GICC + 0x00, 1 | (1u << 9));            /* EOImode: split */
    wr(GICC + 0x10, 40);                       /* drop, stays active */
    ck_assert_uint_eq(rd(GICD + 0x304), 1u << 8);
    wr(GICH + 0x104, lr_val(40, 0x80, false) | GICH_LR_HW | (40u << 10));
    ck_assert_uint_eq(rd(GICV + 0x0c), 40);
    wr(GICV + 0x10, 40);
    ck_assert_uint_eq(GICH_LR_STATE(rd(GICH + 0x104)), 0);
    ck_assert_uint_eq(rd(GICD + 0x304), 0);    /* physical deactivated */
}
END_TEST

static uint8_t *save(size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *buf;

    ck_assert(vmstate_save_state(f, &vmstate_gic, gic, NULL, &err));
    buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

static bool load(const uint8_t *buf, size_t len, Error **errp)
{
    QEMUFile *r = qemu_file_new_mem_reader(buf, len);
    bool ok = vmstate_load_state(r, &vmstate_gic, gic, 12, errp);
    qemu_fclose(r);
    return ok;
}

#define MAIN_BYTES (4 + 32 + 7 * 1020 + 1020 + 256 + 988 + 128 + 3 * 16 + \
                    2 * 8 + 2 * 128)
#define VIRT_BYTES (32 + 32 + 64 * 8 * 4 + 32 + 32 + 3 * 16 + 2 * 8)
#define VIRT_HDR   (2 + 18 + 4)

START_TEST(test_vmstate_bytes)
{
    size_t len;

    ck_assert_uint_eq(MAIN_BYTES, 9888);
    enable_all();
    setup_spi(33, 0x80, 2);
    wr(GICH + 0x104, 0x12345678);
    wr(GICV + 0x04, 0x58);
    g_autofree uint8_t *buf = save(&len);
    ck_assert_uint_eq(len, MAIN_BYTES + VIRT_HDR + VIRT_BYTES);
    ck_assert_mem_eq(buf, "\x00\x00\x00\x01", 4);                  /* ctlr */
    ck_assert_mem_eq(buf + 4 + 4, "\x00\x00\x00\x01", 4);     /* cpu_ctlr[1] */
    /* irq_state[33]: enabled 0xff, pending, active, level, model, edge, grp */
    ck_assert_mem_eq(buf + 36 + 33 * 7, "\xff\x00\x00\x00\x00\x00\x00", 7);
    ck_assert_uint_eq(buf[36 + 7140 + 33], 2);                   /* target */
    ck_assert_uint_eq(buf[36 + 7140 + 1020 + 256 + 1], 0x80); /* priority2 */
    /* priority_mask[0..1] = 0xff, big-endian u16. */
    ck_assert_mem_eq(buf + 9568, "\x00\xff\x00\xff", 4);
    const uint8_t *sub = buf + MAIN_BYTES;
    ck_assert_uint_eq(sub[0], 0x05);
    ck_assert_uint_eq(sub[1], 18);
    ck_assert_mem_eq(sub + 2, "arm_gic_virt_state\x00\x00\x00\x01", 22);
    /* h_lr[1][0] (row-major [lr][cpu]) = 0x12345678 & writable bits. */
    ck_assert_mem_eq(sub + VIRT_HDR + 64 + (1 * 8 + 0) * 4,
                     "\x12\x04\x56\x78", 4);
    /* priority_mask[8] after h_hcr, misr, lr, apr, cpu_ctlr[8..15]. */
    ck_assert_mem_eq(sub + VIRT_HDR + 32 + 32 + 2048 + 32 + 32, "\x00\x58", 2);

    /* Without the extensions the subsection is not sent. */
    recreate(false);
    g_autofree uint8_t *plain = save(&len);
    ck_assert_uint_eq(len, MAIN_BYTES);
}
END_TEST

START_TEST(test_vmstate_plain_into_virt_gets_defaults)
{
    size_t len;
    Error *err = NULL;

    recreate(false);
    g_autofree uint8_t *buf = save(&len);
    recreate(true);
    wr(GICH + 0x00, 1);
    wr(GICH + 0x100, lr_val(27, 0x80, false));
    wr(GICV + 0x00, 3);
    ck_assert(load(buf, len, &err));
    ck_assert_uint_eq(rd(GICH + 0x00), 0);
    ck_assert_uint_eq(rd(GICH + 0x100), 0);
    ck_assert_uint_eq(rd(GICV + 0x00), 0);
    ck_assert_uint_eq(rd(GICV + 0x08), GIC_VIRT_MIN_BPR);
    ck_assert_uint_eq(rd(GICH + 0x30), 0xf);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_VIRQ, 0);
}
END_TEST

START_TEST(test_vmstate_virt_into_plain_refused)
{
    size_t len;
    Error *err = NULL;

    g_autofree uint8_t *buf = save(&len);
    recreate(false);
    ck_assert(!load(buf, len, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err),
                                 "has-virtualization-extensions"));
    ck_assert_ptr_null(strchr(error_get_pretty(err), '\n'));
    error_free(err);
}
END_TEST

START_TEST(test_vmstate_post_load_recomputes)
{
    size_t len;
    Error *err = NULL;

    enable_all();
    virt_guest_on();
    wr(GICH + 0x100, lr_val(27, 0xa0, false));
    wr(GICH + 0x108, GICH_LR_EOI | 30);        /* invalid, EOI: in EISR */
    ck_assert_uint_eq(rd(GICH + 0x20), 4);
    g_autofree uint8_t *buf = save(&len);
    /* Corrupt the migrated MISR of CPU 0: it is recomputed anyway. */
    memset(buf + MAIN_BYTES + VIRT_HDR + 32, 0xff, 4);

    recreate(true);
    arm_cpus[0]->env.interrupt_request = 0;
    gic->h_eisr[0] = 0xdead;                   /* stale caches */
    gic->h_elrsr[0] = 0xbeef;
    ck_assert(load(buf, len, &err));
    ck_assert_uint_eq(gic->h_eisr[0], 4);
    ck_assert_uint_eq(gic->h_elrsr[0], 0xa);
    ck_assert_uint_eq(gic->h_misr[0], 1);      /* EOI only */
    ck_assert_uint_eq(gic->h_elrsr[1], 0xf);
    ck_assert_uint_eq(irq_req(0) & CPU_INTERRUPT_VIRQ, CPU_INTERRUPT_VIRQ);
    ck_assert_uint_eq(rd(GICV + 0x0c), 27);
}
END_TEST

START_TEST(test_vmstate_hostile)
{
    size_t len;
    Error *err = NULL;

    g_autofree uint8_t *buf = save(&len);
    ck_assert(!load(buf, MAIN_BYTES - 3, &err));
    ck_assert_ptr_nonnull(err);
    error_free(err);
    err = NULL;
    /* running_priority[0] = 0x1ff is refused. */
    g_autofree uint8_t *evil = g_memdup2(buf, len);
    evil[9568 + 16] = 0x01;
    evil[9568 + 17] = 0xff;
    ck_assert(!load(evil, len, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "running priority"));
    error_free(err);
    err = NULL;
    /* Targets naming CPUs that do not exist are masked. */
    memcpy(evil, buf, len);
    evil[36 + 7140 + 40] = 0xfc;
    ck_assert(load(evil, len, &err));
    ck_assert_uint_eq(gic->irq_target[40], 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gic");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_and_ids);
    tcase_add_test(tc, test_spi_cycle);
    tcase_add_test(tc, test_priority_and_preemption);
    tcase_add_test(tc, test_sgi_sources_and_banking);
    tcase_add_test(tc, test_groups);
    tcase_add_test(tc, test_eoimode_dir);
    tcase_add_test(tc, test_virt_lr_cycle);
    tcase_add_test(tc, test_vmcr_is_a_view);
    tcase_add_test(tc, test_virt_hw_deactivates_physical);
    tcase_add_test(tc, test_vmstate_bytes);
    tcase_add_test(tc, test_vmstate_plain_into_virt_gets_defaults);
    tcase_add_test(tc, test_vmstate_virt_into_plain_refused);
    tcase_add_test(tc, test_vmstate_post_load_recomputes);
    tcase_add_test(tc, test_vmstate_hostile);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
