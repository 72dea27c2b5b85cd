/*
 * abcheck: the A/B guest's memory check inside the nested test machine
 * (busybox has no tool that reads one byte per page of a 100 MiB file
 * quickly).  Cross-compiled static for arm64 by run-nested.sh.
 *
 * The A/B guest (tests/guests/a-b-kernel.S) increments the first byte of
 * every 4 KiB page in order, sweep after sweep.  A consistent copy of its
 * memory therefore has every page's byte equal to its predecessor's or one
 * less, and at most one such step (where the sweep was when the vCPU
 * stopped) - the same rule as mig_check_destination in
 * tests/qtest/migration/framework.c.  A page the migration lost or sent
 * stale breaks it.
 *
 * usage: abcheck DUMP   (a pmemsave of [0x40100000, 0x46400000))
 * prints "abcheck: OK pages=N steps=S first=B" or the first bad page, and
 * exits 0 / 1.
 */
#include <stdio.h>
#include <stdlib.h>

#define AB_START 0x40100000ULL
#define AB_PAGE 4096

int main(int argc, char **argv)
{
    FILE *f;
    unsigned char page[AB_PAGE];
    unsigned long n = 0, steps = 0;
    int prev = -1, first = -1;

    if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "abcheck: usage: abcheck DUMP (readable file)\n");
        return 2;
    }
    while (fread(page, 1, AB_PAGE, f) == AB_PAGE) {
        int cur = page[0];
        if (prev < 0) {
            first = cur;
        } else if (cur != prev) {
            if (((cur + 1) & 0xff) != prev) {
                printf("abcheck: page 0x%llx holds %d after %d: memory was "
                       "not migrated consistently\n",
                       AB_START + (unsigned long long)n * AB_PAGE, cur, prev);
                return 1;
            }
            steps++;
        }
        prev = cur;
        n++;
    }
    fclose(f);
    if (n == 0) {
        printf("abcheck: empty dump\n");
        return 1;
    }
    if (steps > 1) {
        printf("abcheck: %lu steps in the page counters (at most 1)\n", steps);
        return 1;
    }
    printf("abcheck: OK pages=%lu steps=%lu first=%d\n", n, steps, first);
    return 0;
}
