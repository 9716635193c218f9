/*
 * ELF64 checks and loading for the root server. Every field read from the
 * file is range-checked before use: a bad image gets a message, never a
 * wild access.
 */
#include <kernel/elf.h>

static const elf64_phdr_t *phdrs(const void *elf)
{
    const elf64_header_t *h = elf;
    return (const elf64_phdr_t *)((const uint8_t *)elf + h->e_phoff);
}

static elf_check_ret_t fail(const char *why)
{
    return (elf_check_ret_t){ .error = why };
}

/* Reject PT_LOAD segments that overlap each other in virtual memory. */
static bool segmentsOverlap(const elf64_phdr_t *ph, word_t n)
{
    for (word_t i = 0; i < n; i++) {
        for (word_t j = i + 1; j < n; j++) {
            if (ph[i].p_type != ELF_PT_LOAD || ph[j].p_type != ELF_PT_LOAD || ph[i].p_memsz == 0 ||
                ph[j].p_memsz == 0) {
                continue;
            }
            if (ph[i].p_vaddr < ph[j].p_vaddr + ph[j].p_memsz &&
                ph[j].p_vaddr < ph[i].p_vaddr + ph[i].p_memsz) {
                return true;
            }
        }
    }
    return false;
}

elf_check_ret_t elfCheck(const void *elf, word_t size, uint16_t machine, vptr_t userTop,
                         word_t extraPages)
{
    const elf64_header_t *h = elf;
    if (size < sizeof(*h) || memcmp(h->e_ident, "\177ELF", 4) != 0) {
        return fail("not an ELF file");
    }
    if (h->e_ident[4] != 2 || h->e_ident[5] != 1) {
        return fail("not a little-endian ELF64 file");
    }
    if (h->e_machine != machine) {
        return fail("built for another architecture");
    }
    if (h->e_type != ELF_ET_EXEC) {
        return fail("not an executable (ET_EXEC)");
    }
    if (h->e_phentsize != sizeof(elf64_phdr_t) || h->e_phoff > size ||
        (word_t)h->e_phnum * sizeof(elf64_phdr_t) > size - h->e_phoff || (h->e_phoff & 7) != 0) {
        return fail("program headers lie outside the file");
    }

    const elf64_phdr_t *ph = phdrs(elf);
    vptr_t lo = ~(word_t)0, hi = 0;
    for (word_t i = 0; i < h->e_phnum; i++) {
        if (ph[i].p_type != ELF_PT_LOAD || ph[i].p_memsz == 0) {
            continue;
        }
        word_t start = ph[i].p_vaddr, end = ph[i].p_vaddr + ph[i].p_memsz;
        elf_check_ret_t r = { .v_reg = { start, end } };
        if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > size ||
            ph[i].p_filesz > size - ph[i].p_offset) {
            r.error = "segment data lies outside the file";
            return r;
        }
        if (end < start || end > userTop) {
            r.error = "segment overlaps the kernel (not below the user top)";
            return r;
        }
        lo = MIN(lo, start);
        hi = MAX(hi, end);
    }
    if (hi == 0) {
        return fail("no loadable segment");
    }
    if (segmentsOverlap(ph, h->e_phnum)) {
        return fail("segments overlap each other");
    }
    v_region_t v = { ROUND_DOWN(lo, 12), ROUND_UP(hi, 12) };
    if (v.end > userTop || userTop - v.end < (extraPages << 12)) {
        return (elf_check_ret_t){ .error = "image leaves no room below the user top", .v_reg = v };
    }
    if (h->e_entry < v.start || h->e_entry >= v.end) {
        return (elf_check_ret_t){ .error = "entry point outside the image", .v_reg = v };
    }
    return (elf_check_ret_t){ .error = NULL, .v_reg = v, .entry = h->e_entry };
}

void elfLoad(const void *elf, v_region_t v_reg, void *dest)
{
    const elf64_header_t *h = elf;
    const elf64_phdr_t *ph = phdrs(elf);
    memzero(dest, v_reg.end - v_reg.start);
    for (word_t i = 0; i < h->e_phnum; i++) {
        if (ph[i].p_type == ELF_PT_LOAD) {
            memcpy((uint8_t *)dest + (ph[i].p_vaddr - v_reg.start),
                   (const uint8_t *)elf + ph[i].p_offset, ph[i].p_filesz);
        }
    }
}
