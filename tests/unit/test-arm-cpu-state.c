/*
 * Unit tests of the ARM vCPU migration sections (machine.c) and of the
 * CPU compatibility check on arrival (cpu-compat.c): round trip, pinned
 * layout of the fixed part, truncated and oversized sections refused with
 * a message, and compatibility verdicts including real KVM values.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "cpregs.h"
#include "cpreg-list.h"
#include "cpu-compat.h"
#include "machine.h"
#include "test-cpregs-data.h"

#define ID(NAME) ARM_SYSREG_KVM_ID(SYSREG_##NAME)

/* regs 64 + xregs 256 + pc 8 + cpsr 4 + spsr 4 + banked_spsr 64 +
 * r13 32 + r14 32 + usr 20 + fiq 20 + elr_el 32 + sp_el 32 (facts 3.1). */
#define CPU_LEN_OFFSET 568

static ARMCPU *mkcpu(const char *model, const char *props)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new(model, props, 0, &err);
    ck_assert_msg(cpu, "%s", err ? error_get_pretty(err) : "");
    return cpu;
}

static uint8_t *save_section(const VMStateDescription *vmsd, ARMCPU *cpu,
                             size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;

    ck_assert_msg(vmstate_save_state(f, vmsd, cpu, NULL, &err), "%s",
                  err ? error_get_pretty(err) : "");
    qemu_fflush(f);
    uint8_t *buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

static bool load_section(const VMStateDescription *vmsd, ARMCPU *cpu,
                         const uint8_t *buf, size_t len, Error **errp)
{
    QEMUFile *f = qemu_file_new_mem_reader(buf, len);
    bool ok = vmstate_load_state(f, vmsd, cpu, vmsd->version_id, errp);
    qemu_fclose(f);
    return ok;
}

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

START_TEST(test_cpu_round_trip)
{
    ARMCPU *src = mkcpu("cortex-a57", NULL);
    ARMCPU *dst = mkcpu("cortex-a57", NULL);
    Error *err = NULL;
    size_t len;

    src->env.xregs[3] = 0x1122334455667788ULL;
    src->env.pc = 0x40080000;
    src->env.pstate = 0x600003c5;          /* EL1h, DAIF, Z C */
    src->env.sp_el[1] = 0x40fff000;
    src->env.sp_el[0] = 0x1000;
    src->env.spsr_el[1] = 0x3c5;
    src->env.elr_el[1] = 0xffff000008000000ULL;
    src->env.vregs[31][1] = 0xdeadbeefULL;
    src->env.fpcr = 0x03000000;
    src->env.fpsr = 0x08000001;
    src->env.exception.syndrome = 0x1234567800ULL;   /* needs syndrome64 */
    src->env.irq_line_state = CPU_INTERRUPT_VIRQ;
    src->env.sys.ttbr1_el[1] = 0x41234000;
    src->env.sys.cnt_cval[ARM_GT_VIRT] = 12345;
    src->env.halted = 1;
    src->env.exception_index = 5;
    arm_cpu_set_serror(src, true, 0x1234);     /* needs cpu/serror */

    uint8_t *buf = save_section(&vmstate_arm_cpu, src, &len);
    /* The cpu/serror subsection is on the wire, named as QEMU names it. */
    ck_assert_ptr_nonnull(memmem(buf, len, "cpu/serror", 10));
    ck_assert_uint_eq(be32_at(buf + CPU_LEN_OFFSET), src->cpreg_array_len);
    /* Saving must not leave the wire-only SP copy in xregs[31]. */
    ck_assert_uint_eq(src->env.xregs[31], 0);
    ck_assert_msg(load_section(&vmstate_arm_cpu, dst, buf, len, &err), "%s",
                  err ? error_get_pretty(err) : "");
    ck_assert_uint_eq(dst->env.xregs[3], src->env.xregs[3]);
    ck_assert_uint_eq(dst->env.pc, src->env.pc);
    ck_assert_uint_eq(dst->env.pstate, src->env.pstate);
    ck_assert_uint_eq(dst->env.sp_el[1], 0x40fff000);
    ck_assert_uint_eq(dst->env.sp_el[0], 0x1000);
    ck_assert_uint_eq(dst->env.spsr_el[1], 0x3c5);
    ck_assert_uint_eq(dst->env.elr_el[1], src->env.elr_el[1]);
    ck_assert_uint_eq(dst->env.vregs[31][1], 0xdeadbeefULL);
    ck_assert_uint_eq(dst->env.fpcr, 0x03000000);
    ck_assert_uint_eq(dst->env.fpsr, 0x08000001);
    ck_assert_uint_eq(dst->env.exception.syndrome, 0x1234567800ULL);
    ck_assert_uint_eq(dst->env.irq_line_state, CPU_INTERRUPT_VIRQ);
    ck_assert_uint_eq(dst->env.sys.ttbr1_el[1], 0x41234000);
    ck_assert_uint_eq(dst->env.sys.cnt_cval[ARM_GT_VIRT], 12345);
    /* The pending SError arrives pending, and the vCPU will notice it. */
    ck_assert_uint_eq(dst->env.serror.pending, 1);
    ck_assert_uint_eq(dst->env.serror.esr, 0x1234);
    ck_assert(dst->env.interrupt_request & CPU_INTERRUPT_SERROR);
    g_free(buf);

    buf = save_section(&vmstate_arm_cpu_common, src, &len);
    ck_assert_uint_eq(be32_at(buf), 1);                /* halted */
    ck_assert(load_section(&vmstate_arm_cpu_common, dst, buf, len, &err));
    ck_assert_uint_eq(dst->env.halted, 1);
    ck_assert_int_eq(dst->env.exception_index, 5);
    g_free(buf);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_cpu_truncated_refused)
{
    ARMCPU *src = mkcpu("max", NULL);
    size_t len;
    uint8_t *buf = save_section(&vmstate_arm_cpu, src, &len);
    const size_t cuts[] = { 0, 3, CPU_LEN_OFFSET + 2, CPU_LEN_OFFSET + 100,
                            len / 2, len - 1 };

    for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
        ARMCPU *dst = mkcpu("max", NULL);
        Error *err = NULL;
        ck_assert_msg(!load_section(&vmstate_arm_cpu, dst, buf, cuts[i], &err),
                      "cut at %zu accepted", cuts[i]);
        ck_assert_ptr_nonnull(err);
        ck_assert(strlen(error_get_pretty(err)) > 0);
        error_free(err);
        arm_cpu_free(dst);
    }
    g_free(buf);
    arm_cpu_free(src);
}
END_TEST

START_TEST(test_cpu_oversized_refused)
{
    ARMCPU *src = mkcpu("max", NULL);
    ARMCPU *dst = mkcpu("max", NULL);
    Error *err = NULL;
    size_t len;
    uint8_t *buf = save_section(&vmstate_arm_cpu, src, &len);
    uint32_t big = ARM_CPREG_LIST_MAX + 1;

    buf[CPU_LEN_OFFSET] = big >> 24;
    buf[CPU_LEN_OFFSET + 1] = big >> 16;
    buf[CPU_LEN_OFFSET + 2] = big >> 8;
    buf[CPU_LEN_OFFSET + 3] = big;
    ck_assert(!load_section(&vmstate_arm_cpu, dst, buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "cpreg_vmstate_array_len") &&
                  strstr(error_get_pretty(err), "4097"), "%s",
                  error_get_pretty(err));
    error_free(err);
    err = NULL;
    /* A negative length is refused too. */
    buf[CPU_LEN_OFFSET] = 0xff;
    ck_assert(!load_section(&vmstate_arm_cpu, dst, buf, len, &err));
    error_free(err);
    g_free(buf);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

START_TEST(test_cpu_section_merge_error_surfaces)
{
    ARMCPU *src = mkcpu("max", "sve=on");
    ARMCPU *dst = mkcpu("max", NULL);
    Error *err = NULL;
    size_t len;
    uint8_t *buf = save_section(&vmstate_arm_cpu, src, &len);

    ck_assert(!load_section(&vmstate_arm_cpu, dst, buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "ID_AA64PFR0_EL1.SVE 1 > 0"),
                  "%s", error_get_pretty(err));
    error_free(err);
    g_free(buf);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

/* ---- compatibility ---- */

static void list_of(ARMCPU *cpu, uint64_t **ids, uint64_t **vals,
                    uint32_t *len)
{
    *ids = g_new(uint64_t, cpu->cpreg_array_len);
    *vals = g_new(uint64_t, cpu->cpreg_array_len);
    *len = arm_cpreg_list_save(cpu, *ids, *vals);
}

START_TEST(test_compat_messages)
{
    ARMCPU *a72 = mkcpu("cortex-a72", NULL);
    ARMCPU *a57 = mkcpu("cortex-a57", NULL);
    ARMCPU *a57nc = mkcpu("cortex-a57", "crypto=off");
    ARMCPU *max = mkcpu("max", NULL);
    uint64_t *ids, *vals;
    uint32_t len;
    Error *err = NULL;

    list_of(a72, &ids, &vals, &len);
    ck_assert(!arm_cpu_check_incoming(a57nc, ids, vals, len, &err));
    ck_assert_str_eq(error_get_pretty(err),
                     "cpu: incoming cortex-a72 r0p3 (MIDR 0x410fd083) is not "
                     "compatible with cortex-a57: ID_AA64ISAR0_EL1.AES 2 > 0, "
                     "ID_AA64ISAR0_EL1.SHA1 1 > 0, ID_AA64ISAR0_EL1.SHA2 1 > 0");
    error_free(err);
    err = NULL;
    /* Same features, another core: the model's hook says no. */
    ck_assert(!arm_cpu_check_incoming(a57, ids, vals, len, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "a different CPU"));
    error_free(err);
    err = NULL;
    /* max accepts any identity with features it has. */
    ck_assert(arm_cpu_check_incoming(max, ids, vals, len, &err));
    /* Another revision of the same core is close enough. */
    for (uint32_t i = 0; i < len; i++) {
        if (ids[i] == ID(MIDR_EL1)) {
            vals[i] = 0x411fd072;                 /* A57 r1p2 */
        }
    }
    ck_assert(arm_cpu_check_incoming(a57, ids, vals, len, &err));
    g_free(ids);
    g_free(vals);
    arm_cpu_free(a72);
    arm_cpu_free(a57);
    arm_cpu_free(a57nc);
    arm_cpu_free(max);
}
END_TEST

/* Parse the sysreg group of a captured KVM list into sorted arrays. */
static uint32_t load_kvm_list(const char *rel, uint64_t *ids, uint64_t *vals)
{
    gchar *path = test_data_path(rel), *text = NULL;
    uint32_t n = 0;

    ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        if (!strncmp(lines[i], "sysreg ", 7)) {
            ids[n] = g_ascii_strtoull(lines[i] + 7, NULL, 0);
            vals[n++] = g_ascii_strtoull(strrchr(lines[i], '=') + 1, NULL, 0);
        }
    }
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    return n;
}

START_TEST(test_compat_real_kvm)
{
    uint64_t ids[512], vals[512];
    ARMCPU *a57 = mkcpu("cortex-a57", NULL);
    ARMCPU *max = mkcpu("max", NULL);
    Error *err = NULL;
    uint32_t n;

    /* A KVM guest on a Cortex-A57 host may come to our cortex-a57. */
    n = load_kvm_list("kvm-reglists/k61-a57-gic3/reglist-a64.txt", ids, vals);
    ck_assert_msg(arm_cpu_check_incoming(a57, ids, vals, n, &err), "%s",
                  err ? error_get_pretty(err) : "");
    n = load_kvm_list("kvm-reglists/k612-a57-gic3/reglist-a64.txt", ids, vals);
    ck_assert(arm_cpu_check_incoming(a57, ids, vals, n, &err));
    /* A guest that saw QEMU 7.2's max (SHA3, RDM, ...) may not come to our
     * max (ARMv8.0 + LSE): it may already use those instructions. */
    n = load_kvm_list("kvm-reglists/k612-max-gic3/reglist-a64.txt", ids, vals);
    ck_assert(!arm_cpu_check_incoming(max, ids, vals, n, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "ID_AA64ISAR0_EL1.RDM 1 > 0"),
                  "%s", error_get_pretty(err));
    error_free(err);
    arm_cpu_free(a57);
    arm_cpu_free(max);
}
END_TEST

static Suite *state_suite(void)
{
    Suite *s = suite_create("arm-cpu-state");
    TCase *tc = tcase_create("vmstate");

    tcase_add_test(tc, test_cpu_round_trip);
    tcase_add_test(tc, test_cpu_truncated_refused);
    tcase_add_test(tc, test_cpu_oversized_refused);
    tcase_add_test(tc, test_cpu_section_merge_error_surfaces);
    tcase_add_test(tc, test_compat_messages);
    tcase_add_test(tc, test_compat_real_kvm);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
