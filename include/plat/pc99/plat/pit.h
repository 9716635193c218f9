/*
 * Boot-time calibration against the PC's 8254 PIT (channel 2, gated
 * through port 0x61).
 */
#pragma once

#include <basic_types.h>

#define PIT_CALIBRATE_MS 2u

/* How far `read` (an increasing counter) advances during PIT_CALIBRATE_MS,
 * taking the shortest of `rounds` measurements: a pause of the (virtual)
 * CPU can only lengthen a round, never shorten it. */
uint64_t pitMeasure(uint64_t (*read)(void), unsigned rounds);
