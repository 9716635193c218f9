/*
 * Just enough ELF64 to check and load a root-server image that the boot
 * loader handed over as raw bytes.
 */
#pragma once

#include <basic_types.h>
#include <util.h>

typedef struct {
    uint8_t e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} elf64_header_t;

typedef struct {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} elf64_phdr_t;

#define ELF_PT_LOAD 1
#define ELF_ET_EXEC 2
#define ELF_EM_X86_64 62
#define ELF_EM_AARCH64 183

typedef struct {
    const char *error; /* NULL when the image is acceptable */
    v_region_t v_reg;  /* page-aligned virtual extent of the PT_LOAD segments */
    vptr_t entry;
} elf_check_ret_t;

/* Check an ELF64 executable of `size` bytes for `machine`, whose image
 * plus `extraPages` must fit below `userTop`. On failure, `error` names
 * the problem in a few words (and `v_reg` the offending segment, if any). */
elf_check_ret_t elfCheck(const void *elf, word_t size, uint16_t machine, vptr_t userTop,
                         word_t extraPages);
/* Copy the PT_LOAD segments of a checked image to `dest`, which holds
 * [v_reg.start, v_reg.end) and is zeroed first. */
void elfLoad(const void *elf, v_region_t v_reg, void *dest);
