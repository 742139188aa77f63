/* Kernel costs as the model pays them (mdl-kernel.c): the scenario's value, or
 * a draw when it gives a distribution. fault_entry and wake_latency are hooked
 * into mdl-access.c; walk_page, unlock_to_wait and supply_page into the VMO
 * lock (mdl-lock.c). */
#pragma once

#include "sim/model/mdl-private.h"

typedef struct _MdlKernelCosts MdlKernelCosts;

SimTime mdl__kernel_fault_entry(MdlWorld *w);
SimTime mdl__kernel_wake_latency(MdlWorld *w);
SimTime mdl__kernel_walk_page(MdlWorld *w);
SimTime mdl__kernel_unlock_to_wait(MdlWorld *w);
/* Sum of @pages draws of supply_page (a constant times @pages). */
SimTime mdl__kernel_supply_pages(MdlWorld *w, uint64_t pages);
/* TRUE if any of the VMO lock's costs is non-zero: the lock is on. */
gboolean mdl__kernel_lock_on(const ScnKernel *k);
