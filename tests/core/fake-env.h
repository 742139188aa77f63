/* tests/core/fake-env.h: a deterministic environment around core/ for tests.
 *
 * One pager (one CorePort, real CorePagerProxy objects), VMOs with a page
 * presence model (core/README.md §5) and "threads" that are explicit state
 * machines driven by the test: starting an access runs it until it blocks;
 * fake_env_settle() runs woken threads in signal order. Every step is logged:
 * dequeued packets, event signals and the VMO's calls into the source, and the
 * invariant checkers run after every operation.
 *
 * Pages are given in page units to the VMO helpers and logged in bytes, as the
 * kernel's packets are.
 */
#pragma once

#include <glib.h>

#include "core/page-source.h"
#include "core/pager-op.h"
#include "core/pager-proxy.h"
#include "core/port.h"

G_BEGIN_DECLS

#define PG CORE_PAGE_SIZE

typedef struct _FakeEnv FakeEnv;
typedef struct _FakeVmo FakeVmo;
typedef struct _FakeThread FakeThread;

typedef enum {
    FAKE_SLOT_EMPTY,  /* No page. */
    FAKE_SLOT_PAGE,   /* A real page. */
    FAKE_SLOT_MARKER, /* A zero marker. */
} FakeSlot;

typedef enum {
    FAKE_ACCESS_NONE,
    FAKE_ACCESS_READ,   /* zx_vmo_read: page by page, fresh non-batching requests. */
    FAKE_ACCESS_FAULT,  /* A mapping access of one page. */
    FAKE_ACCESS_COMMIT, /* ZX_VMO_OP_COMMIT: one batching request (§5.3). */
} FakeAccessKind;

typedef enum {
    FAKE_THREAD_IDLE,      /* No access yet. */
    FAKE_THREAD_PRE_WAIT,  /* Got SHOULD_WAIT, not yet in Wait (defer_wait). */
    FAKE_THREAD_BLOCKED,   /* In Wait, event not signalled. */
    FAKE_THREAD_WOKEN,     /* In Wait, event signalled, not yet run. */
    FAKE_THREAD_SUSPENDED, /* Wait returned INTR_RETRY; fake_thread_resume restarts. */
    FAKE_THREAD_DONE,      /* Finished with result. */
} FakeThreadState;

struct _FakeThread {
    guint id;                     /* Name in the logs ("T3"). */
    FakeEnv *env;                 /* Owner. */
    FakeVmo *vmo;                 /* VMO of the current access. */
    FakeThreadState state;        /* See FakeThreadState. */
    FakeAccessKind kind;          /* Current access. */
    guint64 arg_page;             /* Original first page. */
    guint64 arg_count;            /* Original page count. */
    guint64 cur;                  /* Read: current page. Commit: range start. */
    guint64 left;                 /* Commit: pages left in the range. */
    CorePageRequest req;          /* The thread's request. */
    CoreStatus result;            /* Result once DONE (or -6 when SUSPENDED). */
    CoreStatus pending_interrupt; /* A kill/suspend that came before Wait, or OK. */
    gboolean defer_wait;          /* Stop in PRE_WAIT instead of entering Wait. */
    guint get_page_calls;         /* GetPage calls made by this thread. */
};

struct _FakeVmo {
    FakeEnv *env;          /* Owner. */
    guint index;           /* Position in the environment. */
    guint64 key;           /* Packet key (index + 1). */
    CorePagerProxy *proxy; /* Its provider. */
    CorePageSource *src;   /* Its source. */
    guint64 size;          /* Pages. */
    guint64 capacity;      /* Slots allocated. */
    FakeSlot *slots;       /* Page presence. */
    gboolean detached;     /* zx_pager_detach_vmo happened. */
    gboolean closed;       /* The VMO was destroyed (Close). */
    gboolean pager_closed; /* The pager handle was closed. */
    GString *tree;         /* Scratch for fake_vmo_tree. */
};

/* The reference model hook of the randomized test: called next to every core
 * call, with statuses compared by the environment. */
typedef struct {
    CoreStatus (*get_page)(gpointer ctx, FakeThread *t, gboolean batching, guint64 offset);
    CoreStatus (*finalize)(gpointer ctx, FakeThread *t);
    CoreStatus (*wait)(gpointer ctx, FakeThread *t, CoreStatus wake);
    void (*destroy)(gpointer ctx, FakeThread *t);
    void (*supplied)(gpointer ctx, FakeVmo *vmo, guint64 offset, guint64 len);
    void (*failed)(gpointer ctx, FakeVmo *vmo, guint64 offset, guint64 len, CoreStatus st);
    void (*detach)(gpointer ctx, FakeVmo *vmo);
    void (*close)(gpointer ctx, FakeVmo *vmo);
    void (*dispatcher_close)(gpointer ctx, FakeVmo *vmo);
    void (*port_zero_handles)(gpointer ctx);
    void (*dequeue)(gpointer ctx);
} FakeMirrorOps;

struct _FakeEnv {
    CorePort *port;              /* The pager's port. */
    GPtrArray *vmos;             /* FakeVmo, owned. */
    GPtrArray *threads;          /* FakeThread by id, owned (holes are NULL). */
    GQueue runnable;             /* Woken threads, in signal order. */
    GString *packets;            /* Dequeued packets. */
    GString *signals;            /* Event signals "T<id>:<status>". */
    GString *calls;              /* VMO calls: S(off,len) F(off,len,st). */
    GString *why;                /* Scratch for the checkers. */
    gboolean auto_settle;        /* Settle after each VMO operation (default TRUE). */
    gboolean log_keys;           /* Prefix packets with "k<key>:". */
    guint available_hooks;       /* packet_available calls. */
    const FakeMirrorOps *mirror; /* Nullable. */
    gpointer mirror_ctx;         /* Its context. */
};

FakeEnv *fake_env_new(void);
void fake_env_free(FakeEnv *env);
FakeVmo *fake_env_add_vmo(FakeEnv *env, guint64 pages);
FakeThread *fake_env_thread(FakeEnv *env, guint id);
void fake_env_check(FakeEnv *env);
void fake_env_settle(FakeEnv *env);
gboolean fake_env_dequeue(FakeEnv *env);
gboolean fake_env_dequeue_packet(FakeEnv *env, CorePortPacketInfo *out);
guint fake_env_dequeue_all(FakeEnv *env);
void fake_env_pager_close(FakeEnv *env);
void fake_env_port_close(FakeEnv *env);
void fake_env_clear_logs(FakeEnv *env);

CoreStatus fake_vmo_supply(FakeVmo *vmo, guint64 page, guint64 n);
CoreStatus fake_vmo_supply_zero(FakeVmo *vmo, guint64 page, guint64 n);
CoreStatus fake_vmo_fail(FakeVmo *vmo, guint64 offset, guint64 length, guint64 data);
CoreStatus fake_vmo_fail_pages(FakeVmo *vmo, guint64 page, guint64 n, CoreStatus status);
void fake_vmo_evict(FakeVmo *vmo, guint64 page, guint64 n);
void fake_vmo_resize(FakeVmo *vmo, guint64 pages);
void fake_vmo_detach(FakeVmo *vmo);
void fake_vmo_close(FakeVmo *vmo);
FakeSlot fake_vmo_slot(const FakeVmo *vmo, guint64 page);
const char *fake_vmo_tree(FakeVmo *vmo);

FakeThreadState fake_thread_read(FakeThread *t, FakeVmo *vmo, guint64 page, guint64 n);
FakeThreadState fake_thread_fault(FakeThread *t, FakeVmo *vmo, guint64 page);
FakeThreadState fake_thread_commit(FakeThread *t, FakeVmo *vmo, guint64 page, guint64 n);
FakeThreadState fake_thread_enter_wait(FakeThread *t);
FakeThreadState fake_thread_interrupt(FakeThread *t, CoreStatus status);
FakeThreadState fake_thread_resume(FakeThread *t);

/* Assertions on the logs and the tree. */
#define ASSERT_PACKETS(env, s) g_assert_cmpstr((env)->packets->str, ==, (s))
#define ASSERT_SIGNALS(env, s) g_assert_cmpstr((env)->signals->str, ==, (s))
#define ASSERT_CALLS(env, s)   g_assert_cmpstr((env)->calls->str, ==, (s))
#define ASSERT_TREE(vmo, s)    g_assert_cmpstr(fake_vmo_tree(vmo), ==, (s))
#define ASSERT_DONE(t, st)                                                                         \
    do {                                                                                           \
        g_assert_cmpint((t)->state, ==, FAKE_THREAD_DONE);                                         \
        g_assert_cmpint((t)->result, ==, (st));                                                    \
    } while (0)
#define ASSERT_STATE(t, st) g_assert_cmpint((t)->state, ==, (st))

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeEnv, fake_env_free)

G_END_DECLS
