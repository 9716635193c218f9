/*
 * The kernel's view of the user ABI: libsel4's own definitions of the
 * bootinfo frame, initial slots, constants, error numbers and the shared
 * packed words (seL4_MessageInfo, seL4_CapRights, seL4_CNode_CapData, from
 * libsel4/shared_types.bf), so the two sides share one source.
 */
#pragma once

#include <sel4/bootinfo_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/shared_types.h>
#include <sel4/types.h>
