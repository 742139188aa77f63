/* Trace workloads (mdl-replay.c), hooked into mdl-workload.c: closed trace
 * threads ask mdl__replay_next() for their next access; as-recorded replays
 * spawn a thread per record through mdl__spawn_access(). */
#pragma once

#include "sim/model/mdl-private.h"

typedef struct _MdlReplay MdlReplay;

void mdl__replay_start(MdlWorld *w, guint wi);
void mdl__replay_next(MdlThread *t);
void mdl__replay_free(MdlWorld *w);

/* mdl-workload.c: a thread that makes the one access @acc now and exits;
 * @name (transfer full, nullable) names it in the trace. */
void mdl__spawn_access(MdlWorld *w, const ScnWorkload *wl, char *name, const MdlAccessArgs *acc);
