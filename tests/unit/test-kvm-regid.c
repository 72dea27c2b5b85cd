/*
 * KVM register-id and vGIC-attribute decoding (target/arm/kvm-regid.c),
 * checked against the register lists captured from real KVM 6.1 and 6.12
 * (tests/data/kvm-reglists), the timer-id swap of the KVM ABI (facts 3.2),
 * and the device-attribute layouts of Documentation/virt/kvm/devices/
 * arm-vgic.rst and arm-vgic-v3.rst.  Runs on any build host.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "target/arm/kvm-regid.h"
#include "test-cpregs-data.h"

static const char *const lists[] = {
    "k61-max-gic3/reglist-a64.txt", "k61-max-gic3/reglist-a64full.txt",
    "k612-max-gic3/reglist-a64.txt",
    "k612-max-gic3/reglist-a64full.txt", "k61-a57-gic3/reglist-a64.txt",
    "k61-a57-gic3/reglist-a64full.txt", "k612-a57-gic3/reglist-a64.txt",
    "k612-a57-gic3/reglist-a64full.txt",
};

/* Every id of every real list decodes to the group and size the capture
 * tool (which used the kernel headers) recorded. */
START_TEST(test_real_lists_decode)
{
    gchar *rel = g_strdup_printf("kvm-reglists/%s", lists[_i]);
    gchar *path = test_data_path(rel);
    gchar *text = NULL;
    gchar **lines;
    unsigned n = 0, header_n = 0;
    uint64_t prev = 0;

    ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    lines = g_strsplit(text, "\n", -1);
    for (gchar **l = lines; *l; l++) {
        char group[32];
        unsigned long long id;
        unsigned bits;
        ArmKvmRegInfo info;

        if (sscanf(*l, "# %u registers", &header_n) == 1 || **l == '#' ||
            !**l) {
            continue;
        }
        ck_assert_int_eq(sscanf(*l, "%31s %llx %u", group, &id, &bits), 3);
        ck_assert_msg(arm_kvm_reg_decode(id, &info), "%s: 0x%llx", path, id);
        ck_assert_str_eq(arm_kvm_reg_class_name(info.cls), group);
        ck_assert_uint_eq(info.size_bits, bits);
        ck_assert_uint_eq(arm_kvm_reg_size(id) * 8, bits);
        if (info.cls == ARM_KVM_REG_SYSREG || info.cls == ARM_KVM_REG_TIMER) {
            ck_assert_uint_eq(arm_kvm_sysreg_id(info.op0, info.op1, info.crn,
                                                info.crm, info.op2), id);
        }
        /* KVM lists core registers by ascending struct kvm_regs offset. */
        if (info.cls == ARM_KVM_REG_CORE) {
            ck_assert(info.index > prev || n == 0);
            prev = info.index;
        }
        n++;
    }
    ck_assert_uint_gt(header_n, 0);
    ck_assert_uint_eq(n, header_n);
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    g_free(rel);
}
END_TEST

/* Our 75 core ids are exactly the core ids of a vCPU without SVE. */
START_TEST(test_core_list_matches_kvm)
{
    gchar *path = test_data_path("kvm-reglists/k61-max-gic3/reglist-a64.txt");
    gchar *text = NULL;
    ArmKvmCoreReg core[ARM_KVM_CORE_COUNT];
    unsigned found = 0;

    arm_kvm_core_list(core);
    ck_assert(g_file_get_contents(path, &text, NULL, NULL));
    for (unsigned i = 0; i < ARM_KVM_CORE_COUNT; i++) {
        gchar *needle = g_strdup_printf("core         0x%016" PRIx64 " ",
                                        core[i].id);
        gchar *at = strstr(text, needle);
        ck_assert_msg(at, "core id %s 0x%016" PRIx64 " not in KVM's list",
                      core[i].name, core[i].id);
        /* and KVM names it the same way */
        ck_assert_msg(strstr(at, core[i].name) &&
                      strstr(at, core[i].name) < strchr(at, '='),
                      "%s", core[i].name);
        found++;
        g_free(needle);
    }
    ck_assert_uint_eq(found, 75);
    ck_assert_uint_eq(core[32].id, 0x6030000000100040ULL);        /* pc */
    ck_assert_uint_eq(core[41].id, 0x6040000000100054ULL);        /* v0 */
    ck_assert_uint_eq(core[74].id, 0x60200000001000d5ULL);        /* fpcr */
    g_free(text);
    g_free(path);
}
END_TEST

/* facts 3.2: TIMER_CNT has CNTV_CVAL_EL0's encoding, TIMER_CVAL has
 * CNTVCT_EL0's. */
START_TEST(test_timer_swap)
{
    uint64_t cntv_ctl = arm_kvm_sysreg_id(3, 3, 14, 3, 1);
    uint64_t cntv_cval = arm_kvm_sysreg_id(3, 3, 14, 3, 2);
    uint64_t cntvct = arm_kvm_sysreg_id(3, 3, 14, 0, 2);
    uint64_t cntpct = arm_kvm_sysreg_id(3, 3, 14, 0, 1);
    uint64_t sctlr = arm_kvm_sysreg_id(3, 0, 1, 0, 0);

    ck_assert_uint_eq(ARM_KVM_TIMER_CNT, cntv_cval);
    ck_assert_uint_eq(ARM_KVM_TIMER_CVAL, cntvct);
    ck_assert_uint_eq(ARM_KVM_TIMER_CTL, cntv_ctl);
    ck_assert_int_eq(arm_kvm_timer_reg(ARM_KVM_TIMER_CNT),
                     ARM_KVM_TIMER_VIRT_COUNT);
    ck_assert_int_eq(arm_kvm_timer_reg(ARM_KVM_TIMER_CVAL),
                     ARM_KVM_TIMER_VIRT_CVAL);
    ck_assert_int_eq(arm_kvm_timer_reg(cntpct), ARM_KVM_TIMER_PHYS_COUNT);
    ck_assert_int_eq(arm_kvm_timer_reg(sctlr), ARM_KVM_TIMER_NONE);
    /* The KVM count id maps to the architectural CNTVCT id and back. */
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(ARM_KVM_TIMER_CNT), cntvct);
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(ARM_KVM_TIMER_CVAL), cntv_cval);
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(
                      arm_kvm_timer_id_to_arch(ARM_KVM_TIMER_CNT)),
                      ARM_KVM_TIMER_CNT);
    /* Physical ids and everything else are left alone. */
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(cntpct), cntpct);
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(ARM_KVM_PTIMER_CVAL),
                      arm_kvm_sysreg_id(3, 3, 14, 2, 2));
    ck_assert_uint_eq(arm_kvm_timer_id_to_arch(sctlr), sctlr);
    ck_assert_uint_eq(sctlr, 0x603000000013c080ULL);
}
END_TEST

/* The real 6.1 list carries 3 timer ids, 6.12 six: all classified. */
START_TEST(test_timer_ids_in_lists)
{
    static const struct { const char *f; unsigned n; } c[] = {
        { "kvm-reglists/k61-max-gic3/reglist-a64.txt", 3 },
        { "kvm-reglists/k612-max-gic3/reglist-a64.txt", 6 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(c); k++) {
        gchar *path = test_data_path(c[k].f), *text = NULL;
        gchar **lines;
        unsigned n = 0;

        ck_assert(g_file_get_contents(path, &text, NULL, NULL));
        lines = g_strsplit(text, "\n", -1);
        for (gchar **l = lines; *l; l++) {
            unsigned long long id;
            if (sscanf(*l, "%*s %llx", &id) == 1 &&
                arm_kvm_timer_reg(id) != ARM_KVM_TIMER_NONE) {
                n++;
            }
        }
        ck_assert_uint_eq(n, c[k].n);
        g_strfreev(lines);
        g_free(text);
        g_free(path);
    }
}
END_TEST

START_TEST(test_decode_rejects)
{
    ArmKvmRegInfo info;

    ck_assert(!arm_kvm_reg_decode(0, &info));
    ck_assert_int_eq(info.cls, ARM_KVM_REG_INVALID);
    /* x86 arch bits */
    ck_assert(!arm_kvm_reg_decode(0x2030000000000000ULL, &info));
    /* AArch32 (arm, not arm64) id from a TCG list */
    ck_assert(!arm_kvm_reg_decode(0x40200000200e0298ULL, &info));
    /* unknown coprocessor class 0x12 */
    ck_assert(!arm_kvm_reg_decode(0x6030000000120000ULL, &info));
    /* malformed size field */
    ck_assert(!arm_kvm_reg_decode(0x60f0000000130000ULL, &info));
    ck_assert_uint_eq(arm_kvm_reg_size(0x60f0000000130000ULL), 0);
}
END_TEST

/* arm-vgic.rst: GICv2 CPU index in bits 39..32, offset in 31..0. */
START_TEST(test_vgic_v2_attr)
{
    ck_assert_uint_eq(arm_kvm_vgic_v2_attr(0, 0x100), 0x100);
    ck_assert_uint_eq(arm_kvm_vgic_v2_attr(3, 0x800), 0x0000000300000800ULL);
    ck_assert_uint_eq(arm_kvm_vgic_v2_attr(0x1ff, 0), 0x000000ff00000000ULL);
}
END_TEST

/* arm-vgic-v3.rst: Aff3.Aff2.Aff1.Aff0 in 63..32. */
START_TEST(test_vgic_v3_attr)
{
    uint64_t mpidr = 0x0000000a80030201ULL;   /* Aff3 0xa, U/MT bits, 3.2.1 */
    uint64_t a = arm_kvm_vgic_v3_attr(mpidr, 0x0100);

    ck_assert_uint_eq(a, 0x0a03020100000100ULL);
    ck_assert_uint_eq(arm_kvm_vgic_v3_attr_mpidr(a), 0x0000000a00030201ULL);
    ck_assert_uint_eq(arm_kvm_vgic_v3_attr(0x80000001ULL, 0), 1ULL << 32);
    /* ICC_CTLR_EL1 = (3,0,12,12,4) for vCPU 1 */
    ck_assert_uint_eq(arm_kvm_vgic_v3_sysreg_attr(1, 3, 0, 12, 12, 4),
                      0x000000010000c664ULL);
    /* ICC_PMR_EL1 = (3,0,4,6,0) */
    ck_assert_uint_eq(arm_kvm_vgic_v3_sysreg_attr(0, 3, 0, 4, 6, 0),
                      0xc230);
    /* LEVEL_INFO line levels of INTIDs 32..63 of vCPU 0: type 0 */
    ck_assert_uint_eq(arm_kvm_vgic_v3_level_attr(0, 32), 32);
    ck_assert_uint_eq(arm_kvm_vgic_v3_level_attr(0x100, 64),
                      0x0000010000000040ULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kvm-regid");
    TCase *tc = tcase_create("regid");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_real_lists_decode, 0, ARRAY_SIZE(lists));
    tcase_add_test(tc, test_core_list_matches_kvm);
    tcase_add_test(tc, test_timer_swap);
    tcase_add_test(tc, test_timer_ids_in_lists);
    tcase_add_test(tc, test_decode_rejects);
    tcase_add_test(tc, test_vgic_v2_attr);
    tcase_add_test(tc, test_vgic_v3_attr);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
