/*
 * PC platform constants shared with the tools (the QEMU runner maps the
 * debug-exit values back to outcomes).
 */
#pragma once

#define PC99_DEBUG_EXIT_PORT 0xf4
#define PC99_DEBUG_EXIT_HALT 0x10  /* QEMU status 33 */
#define PC99_DEBUG_EXIT_PANIC 0x01 /* QEMU status 3 */

void pc99InitSerial(void);
