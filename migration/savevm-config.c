/*
 * The configuration record that follows the stream header (facts 1.5):
 * the machine type name and, for ARM, the target page bits.  Loading it
 * first lets the destination refuse a stream from a different machine
 * before touching any device.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "migration/savevm.h"
#include "savevm-internal.h"

/* Longest machine type name we accept from a stream. */
#define CONFIG_NAME_MAX 256
/* Validated capabilities a stream may list (x-ignore-shared, mapped-ram). */
#define CONFIG_CAPS_MAX 16

typedef struct ConfigCapability {
    char name[QEMU_FILE_IDSTR_MAX + 1];
} ConfigCapability;

/* Member names are the field names QEMU's JSON description uses. */
typedef struct SaveState {
    uint32_t len;
    uint8_t *name;
    uint32_t target_page_bits;
    uint32_t caps_count;
    ConfigCapability capabilities[CONFIG_CAPS_MAX];
    struct {
        uint8_t data[16];
    } uuid;
} SaveState;

static SaveState config_state;
static char *machine_type_override;

/* Set only by the board code; weak so unit tests link without a board. */
extern MachineState *current_machine __attribute__((weak));

void savevm_set_machine_type(const char *name)
{
    g_free(machine_type_override);
    machine_type_override = g_strdup(name);
}

const char *savevm_machine_type(void)
{
    if (machine_type_override) {
        return machine_type_override;
    }
    if (&current_machine && current_machine && current_machine->type) {
        return current_machine->type;
    }
    return "none";
}

/* A capability name is a counted string (facts 1.5). */
static bool get_capability(QEMUFile *f, void *pv, size_t size,
                           const VMStateField *field, Error **errp)
{
    ConfigCapability *c = pv;
    qemu_get_counted_string(f, c->name);
    return true;
}

static bool put_capability(QEMUFile *f, void *pv, size_t size,
                           const VMStateField *field, Error **errp)
{
    ConfigCapability *c = pv;
    qemu_put_counted_string(f, c->name);
    return true;
}

static const VMStateInfo vmstate_info_capability = {
    .name = "capability", .get = get_capability, .put = put_capability,
};

static bool page_bits_needed(void *opaque)
{
    /* ARM: the virt board's 12 bits are above the legacy minimum of 10. */
    return MIGRATION_TARGET_PAGE_BITS > MIGRATION_TARGET_PAGE_BITS_LEGACY;
}

static bool caps_needed(void *opaque)
{
    return false;   /* we support no validated capability */
}

static bool uuid_needed(void *opaque)
{
    return false;   /* no -uuid / validate-uuid */
}

static const VMStateDescription vmstate_config_page_bits = {
    .name = "configuration/target-page-bits",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = page_bits_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(target_page_bits, SaveState),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_config_caps = {
    .name = "configuration/capabilities",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = caps_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_V(caps_count, SaveState, 1),
        VMSTATE_VARRAY_UINT32(capabilities, SaveState, caps_count, 1,
                              vmstate_info_capability, ConfigCapability),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_config_uuid = {
    .name = "configuration/uuid",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = uuid_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY_V(uuid.data, SaveState, 16, 1),
        VMSTATE_END_OF_LIST()
    },
};

static bool config_pre_save(void *opaque, Error **errp)
{
    SaveState *s = opaque;
    const char *name = savevm_machine_type();

    g_free(s->name);
    s->len = strlen(name);
    s->name = (uint8_t *)g_strdup(name);
    s->target_page_bits = MIGRATION_TARGET_PAGE_BITS;
    return true;
}

static bool config_pre_load(void *opaque, Error **errp)
{
    SaveState *s = opaque;

    /* An absent page-bits subsection means the legacy value. */
    s->target_page_bits = MIGRATION_TARGET_PAGE_BITS_LEGACY;
    s->caps_count = 0;
    return true;
}

/* After loading: the stream must come from the same machine and page size. */
static bool config_check(SaveState *s, Error **errp)
{
    const char *local = savevm_machine_type();
    g_autofree char *got = g_strndup((const char *)s->name, s->len);
    g_autofree char *esc = g_strescape(got, NULL);

    if (strcmp(got, local) != 0) {
        error_setg(errp, "Machine type received is '%s' and local is '%s'",
                   esc, local);
        return false;
    }
    if (s->target_page_bits != MIGRATION_TARGET_PAGE_BITS) {
        error_setg(errp, "Received TARGET_PAGE_BITS is %u but local is %u",
                   s->target_page_bits, MIGRATION_TARGET_PAGE_BITS);
        return false;
    }
    if (s->caps_count) {
        g_autofree char *cap = g_strescape(s->capabilities[0].name, NULL);
        error_setg(errp, "Capability %s is on in the stream, but this side "
                   "does not support it", cap);
        return false;
    }
    return true;
}

static const VMStateDescription vmstate_configuration = {
    .name = "configuration",
    .version_id = 1,
    .minimum_version_id = 0,
    .pre_save = config_pre_save,
    .pre_load = config_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(len, SaveState),
        VMSTATE_VBUFFER_ALLOC_UINT32(name, SaveState, 0, len, CONFIG_NAME_MAX),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_config_page_bits,
        &vmstate_config_caps,
        &vmstate_config_uuid,
        NULL
    },
};

bool savevm_config_save(QEMUFile *f, JsonWriter *vmdesc, Error **errp)
{
    bool ok;

    qemu_put_byte(f, QEMU_VM_CONFIGURATION);
    if (vmdesc) {
        json_writer_start_object(vmdesc, "configuration");
    }
    ok = vmstate_save_state(f, &vmstate_configuration, &config_state, vmdesc,
                            errp);
    if (vmdesc) {
        json_writer_end_object(vmdesc);
    }
    return ok;
}

bool savevm_config_load(QEMUFile *f, Error **errp)
{
    /* QEMU loads the configuration at version 0 (facts 1.5). */
    if (!vmstate_load_state(f, &vmstate_configuration, &config_state, 0,
                            errp) || !config_check(&config_state, errp)) {
        error_prepend(errp, "configuration: ");
        return false;
    }
    return true;
}
