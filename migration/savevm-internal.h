/*
 * Private to migration/: the section registry shared by savevm.c (stream),
 * savevm-config.c (configuration record) and vmstate-dump.c (schema).
 */
#ifndef MIGRATION_SAVEVM_INTERNAL_H
#define MIGRATION_SAVEVM_INTERNAL_H

#include "migration/vmstate.h"
#include "migration/register.h"
#include "migration/json-writer.h"

typedef struct SaveStateEntry {
    char idstr[QEMU_FILE_IDSTR_MAX + 1];
    int instance_id;
    int section_id;            /* ours, in registration order */
    int version_id;
    int priority;
    const VMStateDescription *vmsd;   /* device section, or NULL */
    const SaveVMHandlers *ops;        /* iterative handler, or NULL */
    void *opaque;
    /* Load side: what the incoming START/FULL record said. */
    int load_section_id;
    int load_version_id;
    bool load_seen;
} SaveStateEntry;

/* Registered sections in stream order (priority, then registration). */
GList *savevm_entries(void);

/* Configuration record (facts 1.5). */
bool savevm_config_save(QEMUFile *f, JsonWriter *vmdesc, Error **errp);
bool savevm_config_load(QEMUFile *f, Error **errp);

#endif
