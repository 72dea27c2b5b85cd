/*
 * The migration test framework: two instances of the binary running the
 * A/B guest (facts 4.3), a source and a destination, and the checks QEMU's
 * migration-test makes after every migration.
 *
 * Kept apart from the test cases (STYLE 19) so new cases stay short.
 */
#ifndef TESTS_MIGRATION_FRAMEWORK_H
#define TESTS_MIGRATION_FRAMEWORK_H

#include "../libqtest.h"

/* The guest's test range (facts 4.2): first byte of every page changes. */
#define MIG_TEST_MEM_START 0x40100000ULL
#define MIG_TEST_MEM_END   0x46400000ULL
#define MIG_PAGE_SIZE      4096

typedef struct MigPair {
    QTestState *src;
    QTestState *dst;
    char *tmpdir;
    char *src_serial;
    char *dst_serial;
    char *guest;           /* path of the guest binary */
    char *extra;           /* extra command-line arguments for both sides */
    char *src_extra;       /* more, for the source only */
} MigPair;

/* The A/B guest's path, or NULL (the caller skips, saying why). */
const char *mig_guest_path(void);

/* A new pair; dst started with -incoming incoming ("defer", a URI). */
MigPair *mig_pair_new(const char *incoming);
/* The same with another guest and extra arguments (e.g. "-smp 2"). */
MigPair *mig_pair_new_guest(const char *incoming, const char *guest,
                            const char *extra);
/* The same, with arguments only the source gets (a mismatch test). */
MigPair *mig_pair_new_mismatch(const char *incoming, const char *guest,
                               const char *extra, const char *src_extra);
/* Path of guest NAME built beside the A/B guest, or NULL. */
char *mig_guest_named(const char *name);
/* Wait until serial holds n more lines starting with prefix; the last one. */
char *mig_wait_lines(const char *serial, const char *prefix, unsigned n,
                     int timeout_ms);
/* Value of "key=<n>" in line, or -1. */
int64_t mig_line_value(const char *line, const char *key);
/* Start (or restart) only the destination. */
void mig_start_dst(MigPair *p, const char *incoming);
void mig_pair_free(MigPair *p);
char *mig_path(MigPair *p, const char *name);

/* Wait until the guest has printed 'A' and at least one 'B' to serial. */
void mig_wait_for_serial_b(const char *serial, int timeout_ms);
/* Number of 'B's in the serial file so far; fails on any other byte. */
size_t mig_count_b(const char *serial);

/* QMP helpers that fail the test on an error reply. */
void mig_qmp_ok(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* query-migrate's "status" (g_free it). */
char *mig_status(QTestState *s);
/* Poll query-migrate until status is one of the '|'-separated states. */
char *mig_wait_status(QTestState *s, const char *states, int timeout_ms);
/* query-status's "status" (g_free it). */
char *mig_runstate(QTestState *s);

/* Destination started with "defer": listen on unix:TMP/name.sock. */
char *mig_listen(MigPair *p, const char *name);
/* Start a migration the source cannot finish yet (slow, now active). */
void mig_start_unfinished(MigPair *p, const char *uri);
/*
 * Wait for the source to report "failed" (never "completed"), then check
 * it still runs the guest.
 */
void mig_wait_failed_source_runs(MigPair *p, int timeout_ms);

/* Make the source unable to converge (QEMU's flow), and able again. */
void mig_slow(QTestState *src);
void mig_fast(QTestState *src);

/*
 * After a completed migration: the destination keeps printing 'B', and,
 * with it stopped, every page byte equals its predecessor or is one less,
 * with at most one such step (check_guests_ram in facts 4.3).
 */
void mig_check_destination(MigPair *p);

#endif
