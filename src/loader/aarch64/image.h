/*
 * The boot-image format shared by the loader and tools/imagegen: the
 * loader ELF plus one extra PT_LOAD segment, placed at the loader's
 * `_payload_start` symbol, that starts with this header and holds the
 * kernel ELF, the root-server ELF and (optionally) a DTB, each at a
 * 4 KiB-aligned offset from the header. Little-endian, fixed width.
 */
#pragma once

#include <stdint.h>

#define IMAGE_MAGIC 0x474d4943u /* "CIMG" */
#define IMAGE_VERSION 1u
#define IMAGE_ALIGN 4096u

typedef struct {
    uint32_t magic;
    uint32_t version;
    uint64_t kernelOffset, kernelSize;
    uint64_t rootserverOffset, rootserverSize;
    uint64_t dtbOffset, dtbSize; /* size 0: use the DTB QEMU placed in RAM */
    uint64_t totalSize;          /* header and blobs */
} image_header_t;
