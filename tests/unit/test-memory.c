/*
 * The address space (system/memory.c): mapping and overlap rules, accesses
 * across regions, MMIO splitting, ROM, dirty tracking.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "system/memory.h"

typedef struct FakeDev {
    uint64_t last_write;
    unsigned last_size;
    unsigned writes;
} FakeDev;

static uint64_t fake_read(void *opaque, hwaddr off, unsigned size)
{
    return 0x1100 + off;
}

static void fake_write(void *opaque, hwaddr off, uint64_t v, unsigned size)
{
    FakeDev *d = opaque;
    d->last_write = v;
    d->last_size = size;
    d->writes++;
}

static const MemoryRegionOps fake_ops = {
    .read = fake_read, .write = fake_write, .max_access_size = 4,
};

static AddressSpace as;

static void setup(void)
{
    memset(&as, 0, sizeof(as));
    as.name = "test";
}

START_TEST(test_overlap)
{
    Error *err = NULL;
    MemoryRegion *a = memory_region_new_ram("a", 0x10000, &error_abort);
    MemoryRegion *b = memory_region_new_ram("b", 0x10000, &error_abort);
    MemoryRegion *c = memory_region_new_ram("c", 0x1000, &error_abort);

    ck_assert(address_space_map_region(&as, a, 0x10000, &err));
    ck_assert(!address_space_map_region(&as, b, 0x18000, &err));
    ck_assert_str_eq(error_get_pretty(err),
                     "region 'b' [0x18000, 0x28000) overlaps 'a' [0x10000, 0x20000)");
    error_free(err);
    err = NULL;
    ck_assert(!address_space_map_region(&as, a, 0x40000, &err));
    error_free(err);
    err = NULL;
    /* Adjacent is fine, on both sides. */
    ck_assert(address_space_map_region(&as, b, 0x20000, &err));
    ck_assert(address_space_map_region(&as, c, 0xf000, &err));
    ck_assert_ptr_eq(address_space_lookup(&as, 0x1ffff), a);
    ck_assert_ptr_eq(address_space_lookup(&as, 0x20000), b);
    ck_assert_ptr_eq(address_space_lookup(&as, 0xf000), c);
    ck_assert_ptr_null(address_space_lookup(&as, 0x30000));
    ck_assert_ptr_null(address_space_lookup(&as, 0));

    ck_assert_ptr_null(memory_region_new_ram("odd", 100, &err));
    ck_assert_ptr_nonnull(err);
    error_free(err);
    address_space_unmap_all(&as);
    memory_region_free(a);
    memory_region_free(b);
    memory_region_free(c);
}
END_TEST

START_TEST(test_rw_across_regions)
{
    MemoryRegion *a = memory_region_new_ram("a", 0x1000, &error_abort);
    MemoryRegion *b = memory_region_new_ram("b", 0x1000, &error_abort);
    uint8_t out[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, in[8] = { 0 };
    uint64_t v;

    address_space_map_region(&as, a, 0x1000, &error_abort);
    address_space_map_region(&as, b, 0x2000, &error_abort);
    ck_assert_int_eq(address_space_write(&as, 0x1ffc, out, 8), MEMTX_OK);
    ck_assert_int_eq(address_space_read(&as, 0x1ffc, in, 8), MEMTX_OK);
    ck_assert_mem_eq(in, out, 8);
    ck_assert_int_eq(address_space_ld(&as, 0x2000, 4, &v), MEMTX_OK);
    ck_assert_uint_eq(v, 0x08070605);
    /* Unmapped: reported, not crashed on. */
    ck_assert_int_eq(address_space_read(&as, 0x2ffc, in, 8),
                     MEMTX_DECODE_ERROR);
    ck_assert_int_eq(address_space_st(&as, 0x9000, 8, 1), MEMTX_DECODE_ERROR);
    ck_assert_ptr_nonnull(address_space_host_ptr(&as, 0x1000, 0x1000, true,
                                                 NULL));
    ck_assert_ptr_null(address_space_host_ptr(&as, 0x1000, 0x1001, true, NULL));
    address_space_unmap_all(&as);
    memory_region_free(a);
    memory_region_free(b);
}
END_TEST

START_TEST(test_mmio_split)
{
    FakeDev d = { 0 };
    MemoryRegion *io = memory_region_new_io("dev", 0x100, &fake_ops, &d);
    uint64_t v;

    address_space_map_region(&as, io, 0x9000000, &error_abort);
    /* An 8-byte access to a 4-byte device becomes two 4-byte accesses. */
    ck_assert_int_eq(address_space_st(&as, 0x9000000, 8,
                                      0x1122334455667788ULL), MEMTX_OK);
    ck_assert_uint_eq(d.writes, 2);
    ck_assert_uint_eq(d.last_size, 4);
    ck_assert_uint_eq(d.last_write, 0x11223344);
    ck_assert_int_eq(address_space_ld(&as, 0x9000010, 4, &v), MEMTX_OK);
    ck_assert_uint_eq(v, 0x1110);
    address_space_unmap_all(&as);
    memory_region_free(io);
}
END_TEST

START_TEST(test_rom_and_dirty)
{
    MemoryRegion *rom = memory_region_new_rom("rom", 0x1000, &error_abort);
    MemoryRegion *ram = memory_region_new_ram("ram", 0x10000, &error_abort);
    unsigned long bm[1];
    uint8_t x = 0x5a, y = 0;

    address_space_map_region(&as, rom, 0, &error_abort);
    address_space_map_region(&as, ram, 0x100000, &error_abort);
    address_space_write(&as, 0x10, &x, 1);
    address_space_read(&as, 0x10, &y, 1);
    ck_assert_uint_eq(y, 0);                    /* ROM ignores guest writes */
    address_space_write_rom(&as, 0x10, &x, 1);
    address_space_read(&as, 0x10, &y, 1);
    ck_assert_uint_eq(y, 0x5a);                 /* the loader may write it */

    ck_assert_uint_eq(memory_region_dirty_words(ram), 1);
    address_space_write(&as, 0x100000 + 3 * 4096 + 5, &x, 1);
    memory_region_fetch_and_clear_dirty(ram, bm);
    ck_assert_uint_eq(bm[0], 1UL << 3);
    memory_region_fetch_and_clear_dirty(ram, bm);
    ck_assert_uint_eq(bm[0], 0);
    memory_region_set_all_dirty(ram);
    memory_region_fetch_and_clear_dirty(ram, bm);
    ck_assert_uint_eq(bm[0], 0xffff);
    address_space_unmap_all(&as);
    memory_region_free(rom);
    memory_region_free(ram);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("memory");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_overlap);
    tcase_add_test(tc, test_rw_across_regions);
    tcase_add_test(tc, test_mmio_split);
    tcase_add_test(tc, test_rom_and_dirty);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
