/* kernel.fault_entry and kernel.wake_latency as the model pays them
 * (mdl-kernel.c): the scenario's value, or a draw when it gives a
 * distribution. Hooked into mdl-access.c. */
#pragma once

#include "sim/model/mdl-private.h"

typedef struct _MdlKernelCosts MdlKernelCosts;

SimTime mdl__kernel_fault_entry(MdlWorld *w);
SimTime mdl__kernel_wake_latency(MdlWorld *w);
