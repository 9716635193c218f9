/*
 * Just enough of the flattened device tree (devicetree spec v0.4, 5) to
 * find the RAM: the header check and the reg property of every /memory
 * node, read with the root's #address-cells and #size-cells. Every offset
 * read from the blob is range-checked first.
 */
#include <arch/cpu.h>
#include <util.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

typedef struct {
    uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
        last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
} fdt_header_t;

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static word_t readCells(const uint8_t *p, word_t cells)
{
    word_t v = 0;
    for (word_t i = 0; i < cells; i++) {
        v = (v << 32) | be32(p + 4 * i);
    }
    return v;
}

BOOT_CODE word_t fdtCheck(const void *fdt, word_t maxSize)
{
    const fdt_header_t *h = fdt;
    if (maxSize < sizeof(*h) || be32(&h->magic) != FDT_MAGIC) {
        return 0;
    }
    word_t total = be32(&h->totalsize);
    word_t sOff = be32(&h->off_dt_struct), sSize = be32(&h->size_dt_struct);
    word_t tOff = be32(&h->off_dt_strings), tSize = be32(&h->size_dt_strings);
    if (total > maxSize || total < sizeof(*h) || sOff > total || sSize > total - sOff ||
        tOff > total || tSize > total - tOff || be32(&h->last_comp_version) > 17) {
        return 0;
    }
    return total;
}

static bool isMemoryNode(const char *name)
{
    return strncmp(name, "memory", 6) == 0 && (name[6] == '\0' || name[6] == '@');
}

BOOT_CODE bool fdtForEachMemory(const void *fdt, void (*fn)(fdt_region_t))
{
    const fdt_header_t *h = fdt;
    const uint8_t *base = fdt;
    const uint8_t *p = base + be32(&h->off_dt_struct);
    const uint8_t *end = p + be32(&h->size_dt_struct);
    const char *strings = (const char *)base + be32(&h->off_dt_strings);
    word_t stringsSize = be32(&h->size_dt_strings);
    word_t addrCells = 2, sizeCells = 1, depth = 0;
    bool inMemory = false;

    while (p + 4 <= end) {
        uint32_t token = be32(p);
        p += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            word_t len = strnlen(name, (size_t)(end - p));
            if (p + len >= end) {
                return false;
            }
            depth++;
            inMemory = depth == 2 && isMemoryNode(name);
            p += ROUND_UP(len + 1, 2);
        } else if (token == FDT_END_NODE) {
            if (depth == 0) {
                return false;
            }
            depth--;
            inMemory = false;
        } else if (token == FDT_PROP) {
            if (p + 8 > end) {
                return false;
            }
            word_t len = be32(p), nameOff = be32(p + 4);
            const uint8_t *val = p + 8;
            if (len > (word_t)(end - val) || nameOff >= stringsSize) {
                return false;
            }
            const char *pname = strings + nameOff;
            if (depth == 1 && strncmp(pname, "#address-cells", 15) == 0 && len == 4) {
                addrCells = be32(val);
            } else if (depth == 1 && strncmp(pname, "#size-cells", 12) == 0 && len == 4) {
                sizeCells = be32(val);
            } else if (inMemory && strncmp(pname, "reg", 4) == 0) {
                word_t entry = 4 * (addrCells + sizeCells);
                if (addrCells == 0 || addrCells > 2 || sizeCells > 2) {
                    return false;
                }
                for (word_t off = 0; off + entry <= len; off += entry) {
                    fdt_region_t r = { readCells(val + off, addrCells),
                                       readCells(val + off + 4 * addrCells, sizeCells) };
                    fn(r);
                }
            }
            p = val + ROUND_UP(len, 2);
        } else if (token == FDT_NOP) {
            continue;
        } else if (token == FDT_END) {
            return depth == 0;
        } else {
            return false;
        }
    }
    return false;
}
