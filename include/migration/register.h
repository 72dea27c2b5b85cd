/*
 * Handlers for state that is not a VMState table: iterative ("live")
 * sections such as guest RAM, which are sent in many parts while the guest
 * runs (facts 1.2: SECTION_START, SECTION_PART..., SECTION_END).
 */
#ifndef MIGRATION_REGISTER_H
#define MIGRATION_REGISTER_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "migration/qemu-file.h"

typedef struct SaveVMHandlers {
    /* --- source --- */
    /* Take part in this migration?  NULL: yes. */
    bool (*is_active)(void *opaque);
    /* Body of SECTION_START. */
    bool (*save_setup)(QEMUFile *f, void *opaque, Error **errp);
    /*
     * Body of one SECTION_PART, guest running, big lock NOT held.  Returns
     * 1 when nothing is left for now, 0 when stopped early (rate limit or
     * time budget), -1 on error.
     */
    int (*save_live_iterate)(QEMUFile *f, void *opaque, Error **errp);
    /* Body of SECTION_END, guest stopped. */
    bool (*save_live_complete)(QEMUFile *f, void *opaque, Error **errp);
    /*
     * Bytes still to send.  exact: resynchronise first (dirty bitmap sync),
     * which is costlier; used when deciding to switch over.
     */
    uint64_t (*state_pending)(void *opaque, bool exact);
    /* After success or failure. */
    void (*save_cleanup)(void *opaque);

    /* --- destination --- */
    bool (*load_setup)(void *opaque, Error **errp);
    /* Body of any section of this handler (START, PART, END). */
    bool (*load_state)(QEMUFile *f, void *opaque, int version_id,
                       Error **errp);
    void (*load_cleanup)(void *opaque);
} SaveVMHandlers;

/*
 * Register an iterative handler as section idstr/instance_id with section
 * version version_id.  Returns the section id, or -1 when taken.
 */
int register_savevm_live(const char *idstr, int instance_id, int version_id,
                         const SaveVMHandlers *ops, void *opaque);
void unregister_savevm(const char *idstr, int instance_id);

#endif
