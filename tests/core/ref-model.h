/* tests/core/ref-model.h: a deliberately simple reference model of the page
 * source and the pager proxy, for the randomized test.
 *
 * It answers the same calls as core/ (through FakeMirrorOps) using only flat
 * arrays and linear scans: per page, the id of the head that requested it;
 * per thread, its request; per VMO, the queue of packets not yet delivered.
 * It logs event signals, dequeued packets and heads in the formats of
 * fake-env.c so the test can compare them after every step.
 */
#pragma once

#include "fake-env.h"

typedef struct _RefModel RefModel;

RefModel *ref_model_new(guint n_vmos, guint64 max_pages);
void ref_model_free(RefModel *model);
const FakeMirrorOps *ref_model_get_ops(void);
GString *ref_model_signals(RefModel *model);
GString *ref_model_packets(RefModel *model);
const char *ref_model_tree(RefModel *model, guint vmo);
guint ref_model_port_count(RefModel *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RefModel, ref_model_free)
