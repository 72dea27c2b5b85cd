/*
 * The "globalstate" section: the run state the source had before it
 * stopped for switchover, so a paused guest arrives paused and a running
 * one resumes (facts 2.6).  Layout as QEMU 7.2 sends it: be32 length of the
 * name including its NUL, then a 100-byte NUL-padded name.
 */
#include "qemu/osdep.h"
#include "system/runstate.h"
#include "migration/vmstate.h"
#include "migration-internal.h"

#define RUNSTATE_NAME_LEN 100

typedef struct GlobalState {
    uint32_t size;
    uint8_t runstate[RUNSTATE_NAME_LEN];
    bool stored;       /* source: captured before vm_stop */
    bool received;     /* destination: came in the stream */
} GlobalState;

static GlobalState global_state;

void global_state_store(void)
{
    memset(global_state.runstate, 0, sizeof(global_state.runstate));
    g_strlcpy((char *)global_state.runstate, runstate_name(runstate_get()),
              sizeof(global_state.runstate));
    global_state.stored = true;
}

void global_state_forget(void)
{
    global_state.stored = false;
    global_state.received = false;
}

const char *global_state_received_runstate(void)
{
    return global_state.received ? (const char *)global_state.runstate : NULL;
}

static bool global_state_pre_save(void *opaque, Error **errp)
{
    GlobalState *s = opaque;

    if (!s->stored) {
        global_state_store();
    }
    s->size = strlen((const char *)s->runstate) + 1;
    return true;
}

static void global_state_post_save(void *opaque)
{
    ((GlobalState *)opaque)->stored = false;
}

static bool global_state_pre_load(void *opaque, Error **errp)
{
    ((GlobalState *)opaque)->received = false;
    return true;
}

static bool global_state_post_load(void *opaque, int version_id, Error **errp)
{
    GlobalState *s = opaque;

    if (s->size == 0 || s->size > RUNSTATE_NAME_LEN ||
        memchr(s->runstate, 0, s->size) == NULL) {
        error_setg(errp, "run state name of %u bytes is not a terminated "
                   "string of at most %d", s->size, RUNSTATE_NAME_LEN);
        return false;
    }
    s->received = true;
    return true;
}

static const VMStateDescription vmstate_globalstate = {
    .name = "globalstate",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = global_state_pre_save,
    .post_save = global_state_post_save,
    .pre_load = global_state_pre_load,
    .post_load = global_state_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(size, GlobalState),
        VMSTATE_BUFFER(runstate, GlobalState),
        VMSTATE_END_OF_LIST()
    },
};

void global_state_register(void)
{
    vmstate_register(NULL, 0, &vmstate_globalstate, &global_state);
}
