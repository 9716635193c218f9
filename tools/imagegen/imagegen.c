/*
 * imagegen: pack the AArch64 loader, the kernel ELF, a root-server ELF
 * and optionally a DTB into one ELF boot image for QEMU -kernel (or any
 * firmware that loads ELF segments). Host tool, built with libelf.
 *
 *   imagegen --loader loader.elf --kernel kernel.elf --rootserver rs.elf
 *            [--dtb board.dtb] -o image.elf
 *
 * The image is the loader's PT_LOAD segments plus one more segment at the
 * loader's `_payload_start` symbol: an image_header_t
 * (src/loader/aarch64/image.h) followed by the ELF files and the DTB.
 * Every input is checked first; a bad one gets a one-line message naming
 * the file and the problem, and exit status 1 (no output is written).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

#define PAGE 4096u
#define MAX_SEGMENTS 64

typedef struct {
    const char *path;
    uint8_t *data;
    size_t size;
    Elf *elf;
    GElf_Ehdr eh;
} input_t;

static const char *outPath;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "imagegen: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    if (outPath) {
        unlink(outPath);
    }
    exit(1);
}

static uint64_t roundUp(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static void readFile(input_t *in)
{
    FILE *f = fopen(in->path, "rb");
    if (!f) {
        die("%s: cannot open: %s", in->path, strerror(errno));
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        die("%s: cannot seek", in->path);
    }
    long n = ftell(f);
    rewind(f);
    in->size = n < 0 ? 0 : (size_t)n;
    in->data = malloc(in->size ? in->size : 1);
    if (!in->data || fread(in->data, 1, in->size, f) != in->size) {
        die("%s: cannot read", in->path);
    }
    fclose(f);
}

static const char *machineName(unsigned m)
{
    switch (m) {
    case EM_X86_64:
        return "x86-64";
    case EM_386:
        return "i386";
    case EM_ARM:
        return "32-bit Arm";
    case EM_RISCV:
        return "RISC-V";
    default:
        return "another machine";
    }
}

/* Parse `in` as a static AArch64 ELF64 executable ("what" names its role). */
static void openElf(input_t *in, const char *what)
{
    readFile(in);
    in->elf = elf_memory((char *)in->data, in->size);
    if (!in->elf || elf_kind(in->elf) != ELF_K_ELF) {
        die("%s: the %s is not an ELF file", in->path, what);
    }
    if (gelf_getclass(in->elf) != ELFCLASS64) {
        die("%s: the %s is not a 64-bit ELF file (ELFCLASS32)", in->path, what);
    }
    if (!gelf_getehdr(in->elf, &in->eh)) {
        die("%s: the %s has a broken ELF header: %s", in->path, what, elf_errmsg(-1));
    }
    if (in->eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        die("%s: the %s is not little-endian", in->path, what);
    }
    if (in->eh.e_machine != EM_AARCH64) {
        die("%s: the %s is built for %s (e_machine %u), not AArch64", in->path, what,
            machineName(in->eh.e_machine), in->eh.e_machine);
    }
    if (in->eh.e_type != ET_EXEC) {
        die("%s: the %s is not a static executable (ET_EXEC)", in->path, what);
    }
}

typedef struct {
    GElf_Phdr ph[MAX_SEGMENTS];
    size_t n;
    uint64_t lo, hi; /* extent of the segments, by `physical` or virtual address */
} segments_t;

/* The PT_LOAD segments of `in`, checked: data inside the file, no
 * overlaps (by physical or virtual address), no address wrap. */
static segments_t loadSegments(input_t *in, const char *what, bool physical)
{
    segments_t s = { .n = 0, .lo = UINT64_MAX, .hi = 0 };
    size_t phnum;
    if (elf_getphdrnum(in->elf, &phnum) != 0) {
        die("%s: the %s has unreadable program headers: %s", in->path, what, elf_errmsg(-1));
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(in->elf, (int)i, &ph)) {
            die("%s: the %s has an unreadable program header %zu", in->path, what, i);
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
            continue;
        }
        uint64_t a = physical ? ph.p_paddr : ph.p_vaddr;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > in->size ||
            ph.p_filesz > in->size - ph.p_offset) {
            die("%s: the %s has segment data outside the file (segment at %#lx)", in->path, what,
                (unsigned long)a);
        }
        if (a + ph.p_memsz < a) {
            die("%s: the %s has a segment that wraps around the address space (at %#lx)", in->path,
                what, (unsigned long)a);
        }
        for (size_t j = 0; j < s.n; j++) {
            uint64_t b = physical ? s.ph[j].p_paddr : s.ph[j].p_vaddr;
            if (a < b + s.ph[j].p_memsz && b < a + ph.p_memsz) {
                die("%s: the %s has overlapping segments: [%#lx, %#lx) and [%#lx, %#lx)", in->path,
                    what, (unsigned long)b, (unsigned long)(b + s.ph[j].p_memsz), (unsigned long)a,
                    (unsigned long)(a + ph.p_memsz));
            }
        }
        if (s.n == MAX_SEGMENTS) {
            die("%s: the %s has more than %d loadable segments", in->path, what, MAX_SEGMENTS);
        }
        s.ph[s.n++] = ph;
        s.lo = a < s.lo ? a : s.lo;
        s.hi = a + ph.p_memsz > s.hi ? a + ph.p_memsz : s.hi;
    }
    if (s.n == 0) {
        die("%s: the %s has no loadable segment", in->path, what);
    }
    return s;
}

static bool findSymbol(input_t *in, const char *name, uint64_t *value)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(in->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) {
            continue;
        }
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; d && i < n; i++) {
            GElf_Sym sym;
            const char *s;
            if (gelf_getsym(d, (int)i, &sym) &&
                (s = elf_strptr(in->elf, sh.sh_link, sym.st_name)) && strcmp(s, name) == 0) {
                *value = sym.st_value;
                return true;
            }
        }
    }
    return false;
}

/* Output: the loader's segments, then the payload. */
typedef struct {
    uint64_t addr, memsz, offset;
    const void *data;
    size_t filesz;
    uint32_t flags;
} outseg_t;

static void writeImage(const input_t *loader, const segments_t *ls, const void *payload,
                       size_t payloadSize, uint64_t payloadAddr)
{
    outseg_t seg[MAX_SEGMENTS + 1];
    size_t n = 0;
    uint64_t off = PAGE;
    for (size_t i = 0; i < ls->n; i++) {
        const GElf_Phdr *ph = &ls->ph[i];
        seg[n++] = (outseg_t){ ph->p_paddr,  ph->p_memsz, off, loader->data + ph->p_offset,
                               ph->p_filesz, ph->p_flags };
        off = roundUp(off + ph->p_filesz, PAGE);
    }
    seg[n++] = (outseg_t){ payloadAddr, payloadSize, off, payload, payloadSize, PF_R };
    off += payloadSize;

    static const char shstrtab[] = "\0.shstrtab\0.loader\0.payload";
    int fd = open(outPath, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        die("%s: cannot create: %s", outPath, strerror(errno));
    }
    Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
    if (!e) {
        die("libelf: %s", elf_errmsg(-1));
    }
    Elf64_Ehdr *eh = elf64_newehdr(e);
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_AARCH64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = loader->eh.e_entry;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
    Elf64_Phdr *ph = elf64_newphdr(e, n);

    for (size_t i = 0; i < n; i++) {
        Elf_Scn *scn = elf_newscn(e);
        Elf_Data *d = elf_newdata(scn);
        d->d_buf = (void *)seg[i].data;
        d->d_size = seg[i].filesz;
        d->d_align = 1;
        d->d_type = ELF_T_BYTE;
        Elf64_Shdr *sh = elf64_getshdr(scn);
        sh->sh_name = i + 1 == n ? 19 : 11;
        sh->sh_type = SHT_PROGBITS;
        sh->sh_flags = SHF_ALLOC | ((seg[i].flags & PF_X) ? SHF_EXECINSTR : 0) |
                       ((seg[i].flags & PF_W) ? SHF_WRITE : 0);
        sh->sh_addr = seg[i].addr;
        sh->sh_offset = seg[i].offset;
        sh->sh_size = seg[i].filesz;
        sh->sh_addralign = 1;
    }
    Elf_Scn *str = elf_newscn(e);
    Elf_Data *sd = elf_newdata(str);
    sd->d_buf = (void *)shstrtab;
    sd->d_size = sizeof(shstrtab);
    sd->d_align = 1;
    sd->d_type = ELF_T_BYTE;
    Elf64_Shdr *ssh = elf64_getshdr(str);
    ssh->sh_name = 1;
    ssh->sh_type = SHT_STRTAB;
    ssh->sh_offset = off;
    ssh->sh_size = sizeof(shstrtab);
    ssh->sh_addralign = 1;
    eh->e_shstrndx = (Elf64_Half)elf_ndxscn(str);
    eh->e_shoff = roundUp(off + sizeof(shstrtab), 8);

    for (size_t i = 0; i < n; i++) {
        ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD,
                              .p_flags = seg[i].flags,
                              .p_offset = seg[i].offset,
                              .p_vaddr = seg[i].addr,
                              .p_paddr = seg[i].addr,
                              .p_filesz = seg[i].filesz,
                              .p_memsz = seg[i].memsz,
                              .p_align = PAGE };
    }
    elf_flagphdr(e, ELF_C_SET, ELF_F_DIRTY);
    if (elf_update(e, ELF_C_WRITE) < 0) {
        die("%s: cannot write the image: %s", outPath, elf_errmsg(-1));
    }
    elf_end(e);
    close(fd);
}

static void usage(void)
{
    fprintf(stderr, "usage: imagegen --loader LOADER.elf --kernel KERNEL.elf --rootserver "
                    "ROOTSERVER.elf [--dtb BOARD.dtb] -o IMAGE.elf\n");
    exit(2);
}

int main(int argc, char **argv)
{
    input_t loader = { 0 }, kernel = { 0 }, rs = { 0 }, dtb = { 0 };
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) {
            usage();
        }
        if (strcmp(a, "--loader") == 0) {
            loader.path = argv[++i];
        } else if (strcmp(a, "--kernel") == 0) {
            kernel.path = argv[++i];
        } else if (strcmp(a, "--rootserver") == 0) {
            rs.path = argv[++i];
        } else if (strcmp(a, "--dtb") == 0) {
            dtb.path = argv[++i];
        } else if (strcmp(a, "-o") == 0) {
            out = argv[++i];
        } else {
            usage();
        }
    }
    if (!loader.path || !kernel.path || !rs.path || !out) {
        usage();
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        die("libelf is too old: %s", elf_errmsg(-1));
    }

    openElf(&loader, "loader");
    openElf(&kernel, "kernel");
    openElf(&rs, "root server");
    segments_t ls = loadSegments(&loader, "loader", true);
    segments_t ks = loadSegments(&kernel, "kernel", true);
    segments_t rss = loadSegments(&rs, "root server", false);
    if (rs.eh.e_entry < rss.lo || rs.eh.e_entry >= rss.hi) {
        die("%s: the root server's entry point %#lx lies outside its segments [%#lx, %#lx)",
            rs.path, (unsigned long)rs.eh.e_entry, (unsigned long)rss.lo, (unsigned long)rss.hi);
    }
    if (rss.hi > 0x00007fffffffffffull - 3 * PAGE) {
        die("%s: the root server reaches %#lx, above the user address space", rs.path,
            (unsigned long)rss.hi);
    }
    if (dtb.path) {
        readFile(&dtb);
        if (dtb.size < 40 || dtb.data[0] != 0xd0 || dtb.data[1] != 0x0d || dtb.data[2] != 0xfe ||
            dtb.data[3] != 0xed) {
            die("%s: not a flattened device tree (no 0xd00dfeed magic)", dtb.path);
        }
    }

    uint64_t payloadAddr;
    if (!findSymbol(&loader, "_payload_start", &payloadAddr)) {
        die("%s: the loader has no _payload_start symbol", loader.path);
    }
    if (payloadAddr < ls.hi || payloadAddr & (PAGE - 1)) {
        die("%s: _payload_start %#lx is not a page boundary after the loader", loader.path,
            (unsigned long)payloadAddr);
    }

    image_header_t h = { .magic = IMAGE_MAGIC, .version = IMAGE_VERSION };
    uint64_t off = roundUp(sizeof(h), IMAGE_ALIGN);
    h.kernelOffset = off;
    h.kernelSize = kernel.size;
    off = roundUp(off + kernel.size, IMAGE_ALIGN);
    h.rootserverOffset = off;
    h.rootserverSize = rs.size;
    off = roundUp(off + rs.size, IMAGE_ALIGN);
    if (dtb.path) {
        h.dtbOffset = off;
        h.dtbSize = dtb.size;
        off = roundUp(off + dtb.size, IMAGE_ALIGN);
    }
    h.totalSize = off;

    uint64_t imageEnd = payloadAddr + h.totalSize;
    if (ks.lo < imageEnd && ls.lo < ks.hi) {
        die("%s: the kernel [%#lx, %#lx) overlaps the boot image [%#lx, %#lx)", kernel.path,
            (unsigned long)ks.lo, (unsigned long)ks.hi, (unsigned long)ls.lo,
            (unsigned long)imageEnd);
    }

    uint8_t *payload = calloc(1, h.totalSize);
    if (!payload) {
        die("out of memory");
    }
    memcpy(payload, &h, sizeof(h));
    memcpy(payload + h.kernelOffset, kernel.data, kernel.size);
    memcpy(payload + h.rootserverOffset, rs.data, rs.size);
    if (dtb.path) {
        memcpy(payload + h.dtbOffset, dtb.data, dtb.size);
    }
    outPath = out;
    writeImage(&loader, &ls, payload, h.totalSize, payloadAddr);
    return 0;
}
