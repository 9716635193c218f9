/*
 * Fixed-width integer types of the libsel4 interface. They are spelt out here
 * (not taken from <stdint.h>) so that the headers work with -nostdinc.
 * Both supported targets are LP64: long and pointers are 64 bits wide.
 */
#pragma once

typedef signed char seL4_Int8;
typedef signed short seL4_Int16;
typedef signed int seL4_Int32;
typedef signed long seL4_Int64;

typedef unsigned char seL4_Uint8;
typedef unsigned short seL4_Uint16;
typedef unsigned int seL4_Uint32;
typedef unsigned long seL4_Uint64;

/* seL4_Bool is one byte; the interface packs it into a single bit of an MR. */
typedef seL4_Int8 seL4_Bool;

#define seL4_True 1
#define seL4_False 0

#define seL4_Null ((void *)0)

/* printf length modifiers for seL4_Word / seL4_Uint64 (both unsigned long). */
#define SEL4_PRIu_word "lu"
#define SEL4_PRId_word "ld"
#define SEL4_PRIx_word "lx"
#define SEL4_PRI_word SEL4_PRIu_word
#define SEL4_PRIx_uint64 "lx"
#define SEL4_PRIu_uint64 "lu"

_Static_assert(sizeof(seL4_Int8) == 1 && sizeof(seL4_Uint8) == 1, "8-bit types");
_Static_assert(sizeof(seL4_Int16) == 2 && sizeof(seL4_Uint16) == 2, "16-bit types");
_Static_assert(sizeof(seL4_Int32) == 4 && sizeof(seL4_Uint32) == 4, "32-bit types");
_Static_assert(sizeof(seL4_Int64) == 8 && sizeof(seL4_Uint64) == 8, "64-bit types");
_Static_assert(sizeof(void *) == 8, "libsel4 supports only 64-bit targets");
