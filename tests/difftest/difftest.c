/*
 * Differential test of the interpreter against an independent emulator
 * (Debian's libunicorn, AArch64 "max" model).  Random blocks from gen.c run
 * instruction by instruction on both; after every instruction X0-X30, SP,
 * NZCV, V0-V31 and the PC are compared, and after every block the whole
 * data area.  A mismatch prints the instruction word, its disassembly (via
 * aarch64-linux-gnu-objdump when present) and both states, then fails.
 *
 *   difftest [--seed N] [--insns N] [--verbose]
 * Deterministic: the same seed generates the same program.
 */
#include "qemu/osdep.h"
#include <unicorn/unicorn.h>
#include "tcg/tcg-internal.h"
#include "gen.h"

#define RAM_BASE   0x40000000ULL
#define RAM_SIZE   0x20000ULL
#define CODE_BASE  (RAM_BASE + 0x1000)      /* literals reach +-256 bytes */
#define VBAR       (RAM_BASE + 0x6000)      /* exception = failure */
#define DATA_BASE  (RAM_BASE + 0x10000)
#define DATA_SIZE  0x10000ULL
#define BLOCK_LEN  48

typedef struct State {
    uint64_t x[31], sp, pc, nzcv;
    uint64_t v[32][2];
} State;

static ARMCPU *cpu;
static TcgVcpu *vcpu;
static MemoryRegion *ram;
static uc_engine *uc;

static void disasm(uint32_t insn, char *buf, size_t len)
{
    char path[] = "/tmp/difftest-XXXXXX";
    int fd = mkstemp(path);
    char cmd[256], line[256];
    FILE *p;

    snprintf(buf, len, "(no disassembler)");
    if (fd < 0) {
        return;
    }
    if (write(fd, &insn, 4) != 4) {
        close(fd);
        unlink(path);
        return;
    }
    close(fd);
    snprintf(cmd, sizeof(cmd), "aarch64-linux-gnu-objdump -D -b binary "
             "-m aarch64 %s 2>/dev/null | tail -1", path);
    p = popen(cmd, "r");
    if (p) {
        if (fgets(line, sizeof(line), p)) {
            char *t = strchr(line, '\t');
            t = t ? strchr(t + 1, '\t') : NULL;
            snprintf(buf, len, "%.100s", t ? t + 1 : line);
            buf[strcspn(buf, "\n")] = 0;
        }
        pclose(p);
    }
    unlink(path);
}

static void our_get(State *s)
{
    CPUARMState *env = &cpu->env;
    memcpy(s->x, env->xregs, sizeof(s->x));
    s->sp = env->tcg_sp;
    s->pc = env->pc;
    s->nzcv = env->pstate & PSTATE_NZCV;
    memcpy(s->v, env->vregs, sizeof(s->v));
}

static void our_set(const State *s)
{
    CPUARMState *env = &cpu->env;
    memcpy(env->xregs, s->x, sizeof(s->x));
    env->xregs[31] = 0;
    env->tcg_sp = s->sp;
    env->pc = s->pc;
    env->pstate = (uint32_t)s->nzcv | PSTATE_DAIF | (1u << 2) | PSTATE_SP;
    memcpy(env->vregs, s->v, sizeof(s->v));
    env->exclusive_addr = -1;
}

static void uc_get(State *s)
{
    for (int i = 0; i < 29; i++) {
        uc_reg_read(uc, UC_ARM64_REG_X0 + i, &s->x[i]);
    }
    uc_reg_read(uc, UC_ARM64_REG_X29, &s->x[29]);
    uc_reg_read(uc, UC_ARM64_REG_X30, &s->x[30]);
    uc_reg_read(uc, UC_ARM64_REG_SP, &s->sp);
    uc_reg_read(uc, UC_ARM64_REG_PC, &s->pc);
    uc_reg_read(uc, UC_ARM64_REG_NZCV, &s->nzcv);
    s->nzcv &= PSTATE_NZCV;
    for (int i = 0; i < 32; i++) {
        uc_reg_read(uc, UC_ARM64_REG_Q0 + i, s->v[i]);
    }
}

static void uc_set(const State *s)
{
    for (int i = 0; i < 29; i++) {
        uc_reg_write(uc, UC_ARM64_REG_X0 + i, &s->x[i]);
    }
    uc_reg_write(uc, UC_ARM64_REG_X29, &s->x[29]);
    uc_reg_write(uc, UC_ARM64_REG_X30, &s->x[30]);
    uc_reg_write(uc, UC_ARM64_REG_SP, &s->sp);
    uc_reg_write(uc, UC_ARM64_REG_PC, &s->pc);
    uc_reg_write(uc, UC_ARM64_REG_NZCV, &s->nzcv);
    for (int i = 0; i < 32; i++) {
        uc_reg_write(uc, UC_ARM64_REG_Q0 + i, s->v[i]);
    }
}

/* Clear unicorn's exclusive monitor (ours is cleared by our_set). */
static void uc_clrex(void)
{
    static const uint32_t clrex = 0xd503305f;
    uint64_t at = RAM_BASE + 0x100;

    uc_mem_write(uc, at, &clrex, 4);
    uc_emu_start(uc, at, 0, 0, 1);
}

static void print_state(const char *who, const State *s, const State *o)
{
    printf("  %s: pc=%016" PRIx64 " sp=%016" PRIx64 " nzcv=%" PRIx64 "\n",
           who, s->pc, s->sp, s->nzcv >> 28);
    for (int i = 0; i < 31; i++) {
        printf("    x%-2d=%016" PRIx64 "%s", i, s->x[i],
               o && o->x[i] != s->x[i] ? " *" : "  ");
        if (i % 4 == 3) {
            printf("\n");
        }
    }
    printf("\n");
    for (int i = 0; i < 32; i++) {
        if (o && (o->v[i][0] != s->v[i][0] || o->v[i][1] != s->v[i][1])) {
            printf("    v%-2d=%016" PRIx64 ":%016" PRIx64 " *\n", i,
                   s->v[i][1], s->v[i][0]);
        }
    }
}

static bool fell_through;

static const DecodedInsn *op_stop(CPUARMState *env, const DecodedInsn *d)
{
    fell_through = true;
    return NULL;
}

/*
 * Run one instruction in our interpreter; false if it took an exception.
 * Handlers chain into the next slot, so the slot is run from a private
 * copy followed by a stop slot, with a branch budget of 1 so taken branches
 * return too (their in-page shortcut is exercised by the guests instead).
 */
static bool our_step(void)
{
    CPUARMState *env = &cpu->env;
    const DecodedInsn *d;
    DecodedInsn scratch[2];
    CodePage *page;
    uint64_t pc = env->pc;

    if (sigsetjmp(vcpu->jmp, 0)) {
        return false;
    }
    page = tcg_code_page(env, pc);
    vcpu->cur_page = page;
    vcpu->cur_va = pc & ~0xfffULL;
    d = &page->insns[(pc & 0xfff) >> 2];
    if (d->fn == tcg_op_decode) {
        d = d->fn(env, d);              /* decodes the slot in place */
    }
    scratch[0] = *d;
    scratch[1] = *d;
    scratch[1].fn = op_stop;
    vcpu->budget = 1;
    fell_through = false;
    scratch[0].fn(env, &scratch[0]);
    if (fell_through) {
        env->pc = pc + 4;
    }
    return !(env->pc >= VBAR && env->pc < VBAR + 0x800);
}

/*
 * Run the block the way the vCPU thread does (handlers chaining into each
 * other, in-page branch shortcuts) until the ISB at the end returns.
 */
static bool our_run_chained(uint64_t stop)
{
    CPUARMState *env = &cpu->env;

    if (sigsetjmp(vcpu->jmp, 0)) {
        return false;
    }
    while (env->pc != stop) {
        CodePage *page = tcg_code_page(env, env->pc);
        const DecodedInsn *d;

        if (env->pc >= VBAR && env->pc < VBAR + 0x800) {
            return false;
        }
        vcpu->cur_page = page;
        vcpu->cur_va = env->pc & ~0xfffULL;
        vcpu->budget = 1000;
        d = &page->insns[(env->pc & 0xfff) >> 2];
        do {
            d = d->fn(env, d);
        } while (d);
    }
    return true;
}

static uint64_t rand_value(GenState *g)
{
    static const uint64_t special[] = {
        0, 1, ~0ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
        0x80000000ULL, 0x7fffffffULL, 0xffffffffULL, 0x100000000ULL,
    };
    switch (gen_rand(g) % 4) {
    case 0: return special[gen_rand(g) % ARRAY_SIZE(special)];
    case 1: return gen_rand(g) & 0xffff;
    case 2: return (uint32_t)gen_rand(g);
    default: return gen_rand(g);
    }
}

static void init_state(GenState *g, State *s, uint64_t pc)
{
    for (int i = 0; i < 31; i++) {
        s->x[i] = rand_value(g);
    }
    s->x[GEN_REG_ATOMIC_BASE] = DATA_BASE + 0x100 + (gen_rand(g) & 0xef0);
    s->x[GEN_REG_INDEX] = gen_rand(g) & 0xff;
    s->x[GEN_REG_BASE] = DATA_BASE + 0x8000 + (gen_rand(g) & 0xfff);
    s->sp = rand_value(g);
    s->pc = pc;
    s->nzcv = (gen_rand(g) & 0xf) << 28;
    for (int i = 0; i < 32; i++) {
        s->v[i][0] = rand_value(g);
        s->v[i][1] = rand_value(g);
    }
}

static bool state_equal(const State *a, const State *b)
{
    return !memcmp(a->x, b->x, sizeof(a->x)) && a->sp == b->sp &&
           a->pc == b->pc && a->nzcv == b->nzcv &&
           !memcmp(a->v, b->v, sizeof(a->v));
}

static void setup(void)
{
    Error *err = NULL;
    uint32_t model = UC_CPU_ARM64_MAX;

    ram = memory_region_new_ram("difftest.ram", RAM_SIZE, &err);
    if (!ram || !address_space_map_region(&address_space_memory, ram,
                                          RAM_BASE, &err)) {
        fprintf(stderr, "difftest: %s\n", error_get_pretty(err));
        exit(2);
    }
    cpu = arm_cpu_new("max", NULL, 0, &err);
    if (!cpu) {
        fprintf(stderr, "difftest: %s\n", error_get_pretty(err));
        exit(2);
    }
    vcpu = tcg_vcpu_create(cpu);
    tcg_current_vcpu = vcpu;
    cpu->env.sys.vbar_el[1] = VBAR;
    cpu->env.pstate = PSTATE_DAIF | (1u << 2) | PSTATE_SP;
    tcg_update_mmu_idx(&cpu->env);

    if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
        fprintf(stderr, "difftest: cannot open unicorn\n");
        exit(2);
    }
    uc_ctl_set_cpu_model(uc, model);
    if (uc_mem_map(uc, RAM_BASE, RAM_SIZE, UC_PROT_ALL) != UC_ERR_OK) {
        fprintf(stderr, "difftest: unicorn mem_map failed\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, total = 100000, done = 0, blocks = 0;
    bool verbose = false;
    uint64_t trace_block = 0;
    GenState g;
    unsigned code_slot = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--insns") && i + 1 < argc) {
            total = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!strcmp(argv[i], "--trace-block") && i + 1 < argc) {
            trace_block = strtoull(argv[++i], NULL, 0);
        } else {
            fprintf(stderr, "usage: difftest [--seed N] [--insns N] "
                    "[--verbose] [--trace-block N]\n");
            return 2;
        }
    }
    g.rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    setup();

    while (done < total) {
        uint32_t code[BLOCK_LEN + 1];
        const char *cls[BLOCK_LEN];
        uint8_t data[DATA_SIZE], udata[DATA_SIZE];
        uint64_t pc0 = CODE_BASE + code_slot * 0x400;
        static uint8_t chained_data[DATA_SIZE];
        State s0, a, b, chained;

        code_slot = (code_slot + 1) % 16;
        for (unsigned i = 0; i < BLOCK_LEN; i++) {
            code[i] = gen_insn(&g, i, BLOCK_LEN, &cls[i]);
        }
        code[BLOCK_LEN] = 0xd5033fdf;               /* ISB: the end */
        for (size_t i = 0; i < DATA_SIZE; i += 8) {
            uint64_t r = gen_rand(&g);
            memcpy(&data[i], &r, 8);
        }
        /* Same memory on both sides. */
        memcpy(ram->host + (pc0 - RAM_BASE), code, sizeof(code));
        memcpy(ram->host + (DATA_BASE - RAM_BASE), data, DATA_SIZE);
        uc_mem_write(uc, pc0, code, sizeof(code));
        uc_mem_write(uc, DATA_BASE, data, DATA_SIZE);
        uc_ctl_remove_cache(uc, pc0, pc0 + sizeof(code));
        tcg_code_invalidate_all();

        init_state(&g, &s0, pc0);
        /* Pass 1: production dispatch (fused slots) over the block. */
        tcg_fusion_enabled = true;
        tcg_code_invalidate_all();
        our_set(&s0);
        if (!our_run_chained(pc0 + 4 * BLOCK_LEN + 4)) {
            printf("MISMATCH seed %" PRIu64 " block %" PRIu64 ": chained "
                   "run took an exception at 0x%" PRIx64 "\n", seed, blocks,
                   cpu->env.elr_el[1]);
            return 1;
        }
        our_get(&chained);
        memcpy(chained_data, ram->host + (DATA_BASE - RAM_BASE), DATA_SIZE);
        memcpy(ram->host + (DATA_BASE - RAM_BASE), data, DATA_SIZE);
        /* Pass 2: instruction by instruction against unicorn. */
        tcg_fusion_enabled = false;
        tcg_code_invalidate_all();
        our_set(&s0);
        uc_clrex();
        uc_set(&s0);
        blocks++;
        while (cpu->env.pc < pc0 + 4 * BLOCK_LEN) {
            unsigned idx = (cpu->env.pc - pc0) / 4;
            uint32_t insn = code[idx];
            bool ok_ours = our_step();
            uc_err e = uc_emu_start(uc, s0.pc, 0, 0, 1);

            (void)e;
            our_get(&a);
            uc_get(&b);
            done++;
            if (!ok_ours || e != UC_ERR_OK || !state_equal(&a, &b)) {
                char dis[128];
                disasm(insn, dis, sizeof(dis));
                printf("MISMATCH seed %" PRIu64 " block %" PRIu64 " insn %u "
                       "(%s): %08x  %s\n", seed, blocks, idx, cls[idx], insn,
                       dis);
                printf("  ours: %s, unicorn: %s\n",
                       ok_ours ? "ok" : "exception", uc_strerror(e));
                print_state("ours", &a, &b);
                print_state("unicorn", &b, &a);
                return 1;
            }
            if (verbose || blocks == trace_block) {
                char dis[128];
                disasm(insn, dis, sizeof(dis));
                printf("  [%" PRIu64 ".%u] %08x %-40s x26=%016" PRIx64 "\n",
                       blocks, idx, insn, dis, a.x[26]);
            }
            s0.pc = b.pc;
        }
        our_get(&a);
        a.pc += 4;                                  /* past the ISB */
        if (!state_equal(&a, &chained) ||
            memcmp(chained_data, ram->host + (DATA_BASE - RAM_BASE),
                   DATA_SIZE)) {
            printf("MISMATCH seed %" PRIu64 " block %" PRIu64 ": chained "
                   "and stepped runs differ\n", seed, blocks);
            print_state("chained", &chained, &a);
            print_state("stepped", &a, &chained);
            return 1;
        }
        uc_mem_read(uc, DATA_BASE, udata, DATA_SIZE);
        if (memcmp(udata, ram->host + (DATA_BASE - RAM_BASE), DATA_SIZE)) {
            for (size_t i = 0; i < DATA_SIZE; i++) {
                uint8_t o = ram->host[DATA_BASE - RAM_BASE + i];
                if (o != udata[i]) {
                    printf("MISMATCH seed %" PRIu64 " block %" PRIu64
                           ": memory at 0x%" PRIx64 " ours %02x unicorn "
                           "%02x\n", seed, blocks, (uint64_t)(DATA_BASE + i), o,
                           udata[i]);
                    break;
                }
            }
            return 1;
        }
    }
    {
        printf("difftest: seed %" PRIu64 ": %" PRIu64 " instructions in %"
               PRIu64 " blocks, 0 mismatches\n", seed, done, blocks);
    }
    return 0;
}
