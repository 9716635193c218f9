/*
 * Layouts shared with the kernel. The struct types and their accessors
 * (seL4_MessageInfo_t, seL4_CapRights_t, seL4_CNode_CapData_t) are generated
 * from libsel4/shared_types.bf into <sel4/shared_types_gen.h>.
 */
#pragma once

#include <sel4/simple_types.h>
#include <sel4/macros.h>
#include <sel4/debug_assert.h>
#include <sel4/shared_types_gen.h>

SEL4_COMPILE_ASSERT(seL4_MessageInfo_is_one_word, sizeof(seL4_MessageInfo_t) == 8);
SEL4_COMPILE_ASSERT(seL4_CapRights_is_one_word, sizeof(seL4_CapRights_t) == 8);
SEL4_COMPILE_ASSERT(seL4_CNode_CapData_is_one_word, sizeof(seL4_CNode_CapData_t) == 8);
