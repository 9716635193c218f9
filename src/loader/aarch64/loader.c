/*
 * The AArch64 boot loader: finds the payload tools/imagegen appended,
 * copies the kernel ELF to its physical load address, moves the DTB and
 * the root server's PT_LOAD segments into the RAM right after it, turns
 * on the MMU (identity map through TTBR0, the kernel window through
 * TTBR1) and enters the kernel with the hand-off registers of
 * seL4-abi.md 12.2:
 *   x0/x1 root-server image physical start/end, x2 physical - virtual
 *   offset, x3 virtual entry, x4/x5 DTB physical address and size.
 * Runs at EL1 with the MMU off; everything is single-pass and uses no heap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"

#define UART_BASE 0x09000000ul
#define QEMU_DTB_ADDR 0x40000000ul
#define PAGE_SIZE 4096ul
#define KERNEL_WINDOW 0xffffff8000000000ul
#define EM_AARCH64 183
#define PT_LOAD 1
#define FDT_MAGIC 0xd00dfeedu

/* Same attribute layout as the kernel (include/arch/aarch64/arch/vspace.h). */
#define MAIR_VALUE 0x000000000444ff00ul
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1

typedef struct {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} elf64_ehdr_t;

typedef struct {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} elf64_phdr_t;

typedef struct {
    uint64_t start, end;
} range_t;

extern char _loader_start[], _payload_start[];

void loader_main(uint64_t entryEL);
void loader_fault(uint64_t esr, uint64_t elr, uint64_t far);

/* Translation tables: one level-1 table of 1 GiB blocks, used both for
 * the identity map (TTBR0, level-0 entry 0) and the kernel window
 * (TTBR1, level-0 entry 511). */
static uint64_t l0Identity[512] __attribute__((aligned(4096)));
static uint64_t l0Kernel[512] __attribute__((aligned(4096)));
static uint64_t l1Blocks[512] __attribute__((aligned(4096)));

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--) {
        *dp++ = (uint8_t)c;
    }
    return d;
}

static void putc_(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    while (uart[0x18 / 4] & (1u << 5)) {
    }
    uart[0] = (uint32_t)c;
}

static void puts_(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') {
            putc_('\r');
        }
        putc_(*s);
    }
}

static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4) {
        putc_("0123456789abcdef"[(v >> i) & 0xf]);
    }
}

/* Semihosting SYS_EXIT with status 3 (the kernel's panic status), then
 * park if QEMU was started without -semihosting. */
static __attribute__((noreturn)) void fail(const char *what, uint64_t value)
{
    puts_("loader: error: ");
    puts_(what);
    puts_(" (");
    puthex(value);
    puts_(")\n");
    static volatile uint64_t block[2] = { 0x20026, 3 };
    static volatile int tried; /* hlt without -semihosting faults back here */
    if (!tried) {
        tried = 1;
        register uint64_t x0 __asm__("x0") = 0x18;
        register uint64_t x1 __asm__("x1") = (uint64_t)block;
        __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void loader_fault(uint64_t esr, uint64_t elr, uint64_t far)
{
    puts_("loader: exception, ESR ");
    puthex(esr);
    puts_(" FAR ");
    puthex(far);
    puts_("\n");
    fail("exception at", elr);
}

static uint64_t roundUp(uint64_t v)
{
    return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static bool overlaps(range_t a, range_t b)
{
    return a.start < b.end && b.start < a.end;
}

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void setBe32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static const elf64_ehdr_t *checkElf(const void *blob, uint64_t size, const char *what)
{
    const elf64_ehdr_t *h = blob;
    if (size < sizeof(*h) || h->e_ident[0] != 0x7f || h->e_ident[1] != 'E' ||
        h->e_ident[2] != 'L' || h->e_ident[3] != 'F' || h->e_ident[4] != 2 ||
        h->e_machine != EM_AARCH64 || h->e_phentsize != sizeof(elf64_phdr_t) ||
        h->e_phoff + (uint64_t)h->e_phnum * sizeof(elf64_phdr_t) > size) {
        fail(what, size);
    }
    return h;
}

static const elf64_phdr_t *phdr(const elf64_ehdr_t *h, unsigned i)
{
    return (const elf64_phdr_t *)((const uint8_t *)h + h->e_phoff) + i;
}

/* The kernel: every PT_LOAD at its physical address. Returns its extent. */
static range_t loadKernel(const elf64_ehdr_t *h, uint64_t size, range_t loader)
{
    range_t r = { ~0ul, 0 };
    for (unsigned i = 0; i < h->e_phnum; i++) {
        const elf64_phdr_t *p = phdr(h, i);
        if (p->p_type != PT_LOAD || p->p_memsz == 0) {
            continue;
        }
        range_t seg = { p->p_paddr, p->p_paddr + p->p_memsz };
        if (p->p_offset + p->p_filesz > size || p->p_filesz > p->p_memsz) {
            fail("kernel segment data lies outside the kernel ELF", p->p_vaddr);
        }
        if (overlaps(seg, loader)) {
            fail("kernel segment overlaps the loader image", p->p_paddr);
        }
        memcpy((void *)p->p_paddr, (const uint8_t *)h + p->p_offset, p->p_filesz);
        memset((void *)(p->p_paddr + p->p_filesz), 0, p->p_memsz - p->p_filesz);
        r.start = seg.start < r.start ? seg.start : r.start;
        r.end = seg.end > r.end ? seg.end : r.end;
    }
    if (r.end == 0) {
        fail("the kernel ELF has no loadable segment", 0);
    }
    return r;
}

/* Copy the DTB to `dest`, trimmed to the blocks it uses (QEMU's blob has
 * 1 MiB of slack); returns its new size. */
static uint64_t moveDTB(const uint8_t *src, uint8_t *dest)
{
    uint32_t total = be32(src + 4);
    uint32_t used = be32(src + 8) + be32(src + 36); /* struct block */
    uint32_t strings = be32(src + 12) + be32(src + 32);
    uint32_t rsv = be32(src + 16);
    used = strings > used ? strings : used;
    /* The reservation block ends with an all-zero entry. */
    while (rsv + 16 <= total) {
        uint64_t a = 0;
        for (int i = 0; i < 16; i++) {
            a |= src[rsv + i];
        }
        rsv += 16;
        if (a == 0) {
            break;
        }
    }
    used = rsv > used ? rsv : used;
    used = used < total ? used : total;
    memcpy(dest, src, used);
    setBe32(dest + 4, used);
    return used;
}

/* The first RAM region of the device tree (the reg of the first /memory
 * node, with two address and two size cells as on QEMU virt); {0, 0} if
 * there is none. Only used to refuse images that do not fit. */
static range_t dtbMemory(const uint8_t *dtb)
{
    const uint8_t *p = dtb + be32(dtb + 8);
    const uint8_t *end = p + be32(dtb + 36);
    const char *strings = (const char *)dtb + be32(dtb + 12);
    int depth = 0, inMemory = 0;
    while (p + 4 <= end) {
        uint32_t token = be32(p);
        p += 4;
        if (token == 1) { /* begin node */
            const char *name = (const char *)p;
            depth++;
            inMemory = depth == 2 && name[0] == 'm' && name[1] == 'e' && name[2] == 'm' &&
                       name[3] == 'o' && name[4] == 'r' && name[5] == 'y';
            while (*p) {
                p++;
            }
            p = (const uint8_t *)(((uint64_t)p + 4) & ~3ul);
        } else if (token == 2) { /* end node */
            depth--;
            inMemory = 0;
        } else if (token == 3) { /* property */
            uint32_t len = be32(p);
            const char *name = strings + be32(p + 4);
            if (inMemory && name[0] == 'r' && name[1] == 'e' && name[2] == 'g' && name[3] == 0 &&
                len >= 16) {
                uint64_t base = ((uint64_t)be32(p + 8) << 32) | be32(p + 12);
                uint64_t size = ((uint64_t)be32(p + 16) << 32) | be32(p + 20);
                return (range_t){ base, base + size };
            }
            p += 8 + ((len + 3) & ~3u);
        } else if (token != 4) { /* not a NOP: the end */
            break;
        }
    }
    return (range_t){ 0, 0 };
}

static void checkInRAM(range_t ram, range_t r, const char *what)
{
    if (ram.end != 0 && (r.start < ram.start || r.end > ram.end)) {
        fail(what, r.end - r.start);
    }
}

/* Extent of the root server's PT_LOAD segments, page aligned. */
static range_t rootserverExtent(const elf64_ehdr_t *h, uint64_t size)
{
    range_t v = { ~0ul, 0 };
    for (unsigned i = 0; i < h->e_phnum; i++) {
        const elf64_phdr_t *p = phdr(h, i);
        if (p->p_type != PT_LOAD || p->p_memsz == 0) {
            continue;
        }
        if (p->p_offset + p->p_filesz > size || p->p_filesz > p->p_memsz) {
            fail("root-server segment data lies outside its ELF", p->p_vaddr);
        }
        v.start = p->p_vaddr < v.start ? p->p_vaddr : v.start;
        v.end = p->p_vaddr + p->p_memsz > v.end ? p->p_vaddr + p->p_memsz : v.end;
    }
    if (v.end == 0) {
        fail("the root-server ELF has no loadable segment", 0);
    }
    v.start &= ~(PAGE_SIZE - 1);
    v.end = roundUp(v.end);
    return v;
}

static void loadRootserver(const elf64_ehdr_t *h, range_t v, uint64_t dest)
{
    memset((void *)dest, 0, v.end - v.start);
    for (unsigned i = 0; i < h->e_phnum; i++) {
        const elf64_phdr_t *p = phdr(h, i);
        if (p->p_type == PT_LOAD && p->p_memsz != 0) {
            memcpy((void *)(dest + (p->p_vaddr - v.start)), (const uint8_t *)h + p->p_offset,
                   p->p_filesz);
        }
    }
}

/* 1 GiB blocks: the first GiB (flash, GIC, UART...) as device memory,
 * the rest as normal write-back memory; EL1 only. */
static uint64_t block(uint64_t i)
{
    uint64_t attr = i == 0 ? ATTR_DEVICE : ATTR_NORMAL;
    uint64_t e = (i << 30) | (1ul << 10) /* AF */ | (attr << 2) | 1 /* block */;
    if (i == 0) {
        e |= (1ul << 53) | (1ul << 54); /* PXN, UXN */
    } else {
        e |= 3ul << 8; /* inner shareable */
    }
    return e;
}

static void enableMMU(void)
{
    for (uint64_t i = 0; i < 512; i++) {
        l1Blocks[i] = block(i);
    }
    l0Identity[0] = (uint64_t)l1Blocks | 3;
    l0Kernel[511] = (uint64_t)l1Blocks | 3;

    uint64_t mmfr0;
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    uint64_t ips = mmfr0 & 7;
    /* T0SZ = T1SZ = 16 (48-bit), 4 KiB granules, write-back walks,
     * inner shareable, 16-bit ASIDs. */
    uint64_t tcr = 16 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (16ul << 16) | (1ul << 24) |
                   (1ul << 26) | (3ul << 28) | (2ul << 30) | (ips << 32) | (1ul << 36);
    __asm__ volatile("msr mair_el1, %0\n"
                     "msr tcr_el1, %1\n"
                     "msr ttbr0_el1, %2\n"
                     "msr ttbr1_el1, %3\n"
                     "isb\n"
                     "tlbi vmalle1\n"
                     "dsb sy\n"
                     "ic iallu\n"
                     "dsb sy\n"
                     "isb\n"
                     :
                     : "r"(MAIR_VALUE), "r"(tcr), "r"((uint64_t)l0Identity), "r"((uint64_t)l0Kernel)
                     : "memory");
    uint64_t sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= (1ul << 0) | (1ul << 2) | (1ul << 12); /* M, C, I */
    sctlr &= ~(1ul << 1);                           /* no alignment checks */
    __asm__ volatile("msr sctlr_el1, %0\n"
                     "isb\n"
                     :
                     : "r"(sctlr)
                     : "memory");
}

typedef void (*kernel_entry_t)(uint64_t, uint64_t, int64_t, uint64_t, uint64_t, uint64_t);

void loader_main(uint64_t entryEL)
{
    puts_("\nloader: AArch64 boot loader, entered at EL");
    putc_((char)('0' + entryEL));
    puts_("\n");
    if (entryEL != 1 && entryEL != 2) {
        fail("the loader must start at EL1 or EL2 (QEMU: no secure=on)", entryEL);
    }
    const image_header_t *img = (const image_header_t *)_payload_start;
    if (img->magic != IMAGE_MAGIC || img->version != IMAGE_VERSION) {
        fail("no image payload (build the image with tools/imagegen)", img->magic);
    }
    const uint8_t *payload = (const uint8_t *)img;
    range_t loader = { (uint64_t)_loader_start, roundUp((uint64_t)payload + img->totalSize) };

    const elf64_ehdr_t *kernel = checkElf(payload + img->kernelOffset, img->kernelSize,
                                          "the kernel is not an AArch64 ELF64");
    const elf64_ehdr_t *rs = checkElf(payload + img->rootserverOffset, img->rootserverSize,
                                      "the root server is not an AArch64 ELF64");
    range_t k = loadKernel(kernel, img->kernelSize, loader);
    puts_("loader: kernel at ");
    puthex(k.start);
    puts_(", entry ");
    puthex(kernel->e_entry);
    puts_("\n");

    /* The DTB: from the image, else the one QEMU placed at 0x40000000. */
    const uint8_t *dtbSrc = NULL;
    if (img->dtbSize != 0) {
        dtbSrc = payload + img->dtbOffset;
    } else if (be32((const void *)QEMU_DTB_ADDR) == FDT_MAGIC) {
        dtbSrc = (const uint8_t *)QEMU_DTB_ADDR;
    }
    uint64_t next = roundUp(k.end);
    uint64_t dtb = 0, dtbSize = 0;
    range_t ram = dtbSrc ? dtbMemory(dtbSrc) : (range_t){ 0, 0 };
    checkInRAM(ram, k, "the kernel does not fit in RAM (bytes)");
    if (dtbSrc) {
        uint64_t room = be32(dtbSrc + 4);
        if (overlaps((range_t){ next, next + room }, loader)) {
            next = loader.end;
        }
        dtb = next;
        dtbSize = moveDTB(dtbSrc, (uint8_t *)dtb);
        next = roundUp(dtb + dtbSize);
        puts_("loader: device tree at ");
        puthex(dtb);
        puts_("\n");
    } else {
        puts_("loader: no device tree\n");
    }

    range_t v = rootserverExtent(rs, img->rootserverSize);
    uint64_t size = v.end - v.start;
    if (overlaps((range_t){ next, next + size }, loader)) {
        next = loader.end;
    }
    checkInRAM(ram, (range_t){ next, next + size },
               "not enough memory for the root server (its image needs bytes)");
    loadRootserver(rs, v, next);
    puts_("loader: root server at ");
    puthex(next);
    puts_(", entry ");
    puthex(rs->e_entry);
    puts_("\n");

    enableMMU();
    kernel_entry_t enter = (kernel_entry_t)kernel->e_entry;
    enter(next, next + size, (int64_t)(next - v.start), rs->e_entry, dtb, dtbSize);
    fail("the kernel returned", 0);
}
