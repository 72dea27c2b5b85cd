/*
 * The migrated (index, value) register list and its merge on load
 * (BRIEF ideas 1 and 4; facts 3.2-3.3, 3.6).
 *
 * Independent of the stream: functions take plain arrays, so the VMState
 * code (machine.c), KVM sync and the unit tests share them.
 */
#ifndef TARGET_ARM_CPREG_LIST_H
#define TARGET_ARM_CPREG_LIST_H

#include "cpregs.h"

/*
 * Longest list accepted from a stream (and the capacity of the VMState
 * staging arrays).  KVM lists ~160-240 sysregs, QEMU TCG max ~300: 4096
 * leaves room for growth while bounding what a hostile stream can make us
 * allocate (CVE-2013-4531 was an unchecked length here).
 */
#define ARM_CPREG_LIST_MAX 4096u
/* How many registers of each kind an error message names. */
#define ARM_CPREG_REPORT_MAX 10

/* Build cpu->cpreg_indexes from the table (minus x-mig-hidden-regs). */
bool arm_cpreg_list_init(ARMCPU *cpu, Error **errp);
void arm_cpreg_list_free(ARMCPU *cpu);

/* Save: fill ids[]/vals[] (room for cpu->cpreg_array_len); returns count. */
unsigned arm_cpreg_list_save(ARMCPU *cpu, uint64_t *ids, uint64_t *vals);

/* How the destination treats one incoming id. */
typedef enum {
    ARM_CPREG_IN_LOCAL,     /* in our list: written and read back */
    ARM_CPREG_IN_VIEW,      /* in our table as alias/no-raw: state comes
                             * with its owner, accepted without a write */
    ARM_CPREG_IN_RAZ,       /* unallocated ID register, value 0: accepted */
    ARM_CPREG_IN_SAFE,      /* x-mig-safe-missing-regs or known KVM quirk */
    ARM_CPREG_IN_UNKNOWN,   /* fails the load */
} ArmCPRegIncoming;

ArmCPRegIncoming arm_cpreg_incoming_kind(ARMCPU *cpu, uint64_t id,
                                         uint64_t value);

/*
 * Policy for a constant register whose incoming value differs from ours
 * (BRIEF idea 2: KVM sanitises ID registers, synthesises CLIDR, ...).
 * Installed by the KVM<->TCG reconciliation work; returns true to keep our
 * value and go on, false to fail the load.  NULL: every difference fails.
 */
extern bool (*arm_cpreg_const_policy)(ARMCPU *cpu, const ArmCPReg *ri,
                                      uint64_t incoming, uint64_t local);

typedef struct ArmCPRegMergeReport {
    unsigned written;       /* local registers loaded from the stream */
    unsigned reset;         /* local registers the stream lacked: reset */
    unsigned views, raz, safe;
    unsigned const_kept;    /* differing constants the policy accepted */
    uint64_t reset_ids[ARM_CPREG_REPORT_MAX];
} ArmCPRegMergeReport;

/*
 * Load: merge an incoming list (ids strictly increasing, len bounded by
 * ARM_CPREG_LIST_MAX) into the vCPU.  Nothing is written unless every
 * incoming id is acceptable and every constant matches; then each local
 * register is written and read back, and local registers the stream lacks
 * are reset.  Errors name up to ARM_CPREG_REPORT_MAX registers of each kind
 * with their ids and values.  rep may be NULL.
 */
bool arm_cpreg_list_load(ARMCPU *cpu, const uint64_t *ids,
                         const uint64_t *vals, uint32_t len,
                         ArmCPRegMergeReport *rep, Error **errp);

/* Name of an id for messages: table name, data-list name or the id. */
const char *arm_cpreg_id_name(ARMCPU *cpu, uint64_t id, char *buf,
                              size_t len);

#endif
