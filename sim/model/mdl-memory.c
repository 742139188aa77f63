/* The reclaim policies' bookkeeping (see mdl-memory.h).
 *
 * Nodes live in one array and are linked by index into circular lists whose
 * sentinels are the first nodes (index 0 is never used, so a hash slot of 0 is
 * empty): the policy's lists at 1..n_lists, then the shadow list. With
 * per-VMO lists (mdl_memory_track_vmos), each node also has a second pair of
 * links in vl[], which chain the pages of one VMO in one policy list; their
 * sentinels are nodes vbase + vmo * n_lists + (list - 1). The hash table is
 * open addressing with linear probing and backward-shift deletion, at most
 * half full.
 *
 * Invariants:
 *  1. every tracked key has exactly one node, linked into exactly one policy
 *     list, and exactly one hash slot names it; a shadow (an evicted page) has
 *     a node and a slot, is linked into the shadow list only and is not counted;
 *  2. lists are ordered from the old end (sentinel.next, evicted first) to the
 *     young end (sentinel.prev); the shadow list from the oldest eviction;
 *  3. two-list: count[l] is the length of list l; page-queues: queue g % G holds
 *     the pages of generation g, for lru <= g <= mru, and mru - lru < G;
 *  4. with per-VMO lists, the per-VMO list (v, l) holds exactly the pages of
 *     VMO v in policy list l, in the same order (every link, unlink and splice
 *     of a page is done on both);
 *  5. shadows <= shadow_limit after every operation.
 */
#include "sim/model/mdl-memory.h"

enum { INACTIVE = 0, ACTIVE = 1 };

typedef struct {
    uint64_t key;
    uint32_t prev, next;
    uint32_t gen;  /* page-queues: the generation it was put in; a shadow:
                      its stamp */
    guint8 list;   /* two-list: INACTIVE or ACTIVE */
    guint8 ref;    /* clock, two-list: the reference bit */
    guint8 shadow; /* evicted: in the table, in no list */
} Node;

typedef struct {
    uint32_t prev, next;
} Link;

struct _MdlMemory {
    ScnReclaim policy;
    guint n_lists;      /* sentinels at 1..n_lists */
    uint32_t shadow_s;  /* the shadow list's sentinel: n_lists + 1 */
    Node *nodes;        /* cap_nodes of them */
    uint32_t cap_nodes; /* allocated */
    uint32_t used;      /* high-water mark of indices handed out */
    uint32_t free_head; /* recycled nodes, linked by next; 0 = none */
    uint64_t *slots;    /* hash: tag | node index, or 0 */
    uint64_t mask;      /* slots - 1 */
    guint bits;         /* log2(slots) */
    uint64_t count;     /* tracked pages */
    uint64_t shadows;   /* shadow nodes */
    uint64_t shadow_limit, shadows_dropped;
    Link *vl;       /* per-VMO links (cap_nodes of them), or NULL */
    uint32_t vbase; /* first per-VMO sentinel */
    guint n_vmos;
    uint64_t n[2];     /* two-list: pages per list */
    uint32_t mru, lru; /* page-queues: newest and oldest generation */
};

/* The home slot: a group of 16 neighbouring pages hashes to 16 consecutive
 * slots, so a sequential walk touches a few cache lines instead of one per
 * page (bits >= 10 always). */
static inline uint64_t hash(const MdlMemory *m, uint64_t key) {
    return ((((key >> 4) * 0x9E3779B97F4A7C15ULL) >> (68 - m->bits)) << 4) | (key & 15);
}

/* A slot holds a node index (low half) and a tag of its key (high half), so
 * that probing past other keys rarely reads their nodes. */
static inline uint64_t tag(uint64_t key) { return ((key * 0xC2B2AE3D27D4EB4FULL) >> 32) << 32; }

static uint64_t *find_slot(MdlMemory *m, uint64_t key) {
    uint64_t t = tag(key);
    for (uint64_t i = hash(m, key);; i = (i + 1) & m->mask) {
        uint64_t v = m->slots[i];
        if (v == 0 || ((v & ~0xFFFFFFFFULL) == t && m->nodes[(uint32_t)v].key == key))
            return &m->slots[i];
    }
}

static inline uint32_t slot_node(const uint64_t *slot) { return (uint32_t)*slot; }

static inline void set_slot(uint64_t *slot, uint64_t key, uint32_t n) { *slot = tag(key) | n; }

static void grow_slots(MdlMemory *m) {
    uint64_t *old = m->slots;
    uint64_t old_n = m->mask + 1;
    m->bits++;
    m->mask = (1ULL << m->bits) - 1;
    m->slots = g_new0(uint64_t, m->mask + 1);
    for (uint64_t i = 0; i < old_n; i++)
        if (old[i]) {
            uint64_t key = m->nodes[(uint32_t)old[i]].key;
            *find_slot(m, key) = old[i];
        }
    g_free(old);
}

/* Backward-shift deletion: later entries of the probe run move up. */
static void delete_slot(MdlMemory *m, uint64_t *slot) {
    uint64_t i = (uint64_t)(slot - m->slots), j = i;
    for (;;) {
        m->slots[i] = 0;
        for (;;) {
            j = (j + 1) & m->mask;
            if (m->slots[j] == 0)
                return;
            uint64_t h = hash(m, m->nodes[(uint32_t)m->slots[j]].key);
            /* the entry at j may move to i if its home is not in (i, j] */
            if (i <= j ? (h <= i || h > j) : (h <= i && h > j))
                break;
        }
        m->slots[i] = m->slots[j];
        i = j;
    }
}

static inline void list_unlink(MdlMemory *m, uint32_t n) {
    Node *x = &m->nodes[n];
    m->nodes[x->prev].next = x->next;
    m->nodes[x->next].prev = x->prev;
}

/* Links @n at the young end of the list with sentinel @s. */
static inline void list_link_young(MdlMemory *m, uint32_t s, uint32_t n) {
    uint32_t last = m->nodes[s].prev;
    m->nodes[n].prev = last;
    m->nodes[n].next = s;
    m->nodes[last].next = n;
    m->nodes[s].prev = n;
}

/* The per-VMO sentinel of @key's VMO in policy list @s. */
static inline uint32_t vmo_sentinel(const MdlMemory *m, uint64_t key, uint32_t s) {
    return m->vbase + mdl_memory_key_vmo(key) * m->n_lists + (s - 1);
}

/* Unlinks page @n from its policy list (and its per-VMO list). */
static inline void page_unlink(MdlMemory *m, uint32_t n) {
    list_unlink(m, n);
    if (m->vl) {
        Link *l = m->vl;
        l[l[n].prev].next = l[n].next;
        l[l[n].next].prev = l[n].prev;
    }
}

/* Links page @n at the young end of policy list @s (and of its per-VMO list). */
static inline void page_link_young(MdlMemory *m, uint32_t s, uint32_t n) {
    list_link_young(m, s, n);
    if (m->vl) {
        Link *l = m->vl;
        uint32_t vs = vmo_sentinel(m, m->nodes[n].key, s), last = l[vs].prev;
        l[n].prev = last;
        l[n].next = vs;
        l[last].next = n;
        l[vs].prev = n;
    }
}

static inline gboolean list_empty(const MdlMemory *m, uint32_t s) { return m->nodes[s].next == s; }

static inline uint32_t queue_of(const MdlMemory *m, uint32_t gen) { return 1 + gen % m->n_lists; }

MdlMemory *mdl_memory_new(ScnReclaim policy, guint generations) {
    MdlMemory *m = g_new0(MdlMemory, 1);
    m->policy = policy;
    m->n_lists = policy == SCN_RECLAIM_TWO_LIST ? 2
                 : policy == SCN_RECLAIM_PAGE_QUEUES
                     ? MIN(MAX(generations, 2), MDL_MEMORY_MAX_LISTS)
                     : 1;
    m->shadow_s = m->n_lists + 1;
    m->shadow_limit = G_MAXUINT64;
    m->cap_nodes = 1024;
    m->nodes = g_new0(Node, m->cap_nodes);
    m->used = m->shadow_s + 1;
    for (uint32_t s = 1; s <= m->shadow_s; s++)
        m->nodes[s].prev = m->nodes[s].next = s;
    m->bits = 10;
    m->mask = (1ULL << m->bits) - 1;
    m->slots = g_new0(uint64_t, m->mask + 1);
    return m;
}

void mdl_memory_free(MdlMemory *m) {
    if (m == NULL)
        return;
    g_free(m->nodes);
    g_free(m->vl);
    g_free(m->slots);
    g_free(m);
}

/* Makes room for @more node indices beyond used. */
static void reserve_nodes(MdlMemory *m, uint64_t more) {
    if (m->used + more <= m->cap_nodes)
        return;
    uint64_t cap = m->cap_nodes;
    while (cap < m->used + more)
        cap *= 2;
    g_assert(cap <= G_MAXUINT32);
    m->nodes = g_renew(Node, m->nodes, cap);
    if (m->vl)
        m->vl = g_renew(Link, m->vl, cap);
    m->cap_nodes = (uint32_t)cap;
}

void mdl_memory_track_vmos(MdlMemory *m, guint n_vmos) {
    g_return_if_fail(m->vl == NULL && m->used == m->shadow_s + 1 && n_vmos > 0);
    reserve_nodes(m, (uint64_t)n_vmos * m->n_lists);
    m->vl = g_new0(Link, m->cap_nodes);
    m->vbase = m->used;
    m->n_vmos = n_vmos;
    m->used += n_vmos * m->n_lists;
    for (uint32_t s = m->vbase; s < m->used; s++)
        m->vl[s].prev = m->vl[s].next = s;
}

static uint32_t alloc_node(MdlMemory *m) {
    if (m->free_head) {
        uint32_t n = m->free_head;
        m->free_head = m->nodes[n].next;
        return n;
    }
    reserve_nodes(m, 1);
    return m->used++;
}

/* Frees node @n, whose slot is @slot. */
static void free_node(MdlMemory *m, uint64_t *slot, uint32_t n) {
    delete_slot(m, slot);
    m->nodes[n].next = m->free_head;
    m->free_head = n;
}

/* Forgets the oldest shadows while there are more than the limit. */
static void drop_shadows(MdlMemory *m) {
    while (m->shadows > m->shadow_limit) {
        uint32_t n = m->nodes[m->shadow_s].next;
        list_unlink(m, n);
        m->shadows--;
        m->shadows_dropped++;
        free_node(m, find_slot(m, m->nodes[n].key), n);
    }
}

void mdl_memory_set_shadow_limit(MdlMemory *m, uint64_t limit) {
    m->shadow_limit = limit;
    drop_shadows(m);
}

gboolean mdl_memory_insert(MdlMemory *m, uint64_t key) {
    g_assert(m->vl == NULL || mdl_memory_key_vmo(key) < m->n_vmos);
    if ((m->count + m->shadows + 1) * 2 > m->mask + 1)
        grow_slots(m);
    uint64_t *slot = find_slot(m, key);
    uint32_t n = slot_node(slot);
    gboolean shadowed = n != 0;
    if (shadowed) {
        g_assert(m->nodes[n].shadow);
        list_unlink(m, n);
        m->shadows--;
    } else {
        n = alloc_node(m);
        set_slot(slot, key, n);
    }
    Node *x = &m->nodes[n];
    *x = (Node){.key = key, .list = INACTIVE, .ref = 0, .gen = m->mru, .shadow = 0};
    m->count++;
    if (m->policy == SCN_RECLAIM_PAGE_QUEUES)
        page_link_young(m, queue_of(m, m->mru), n);
    else
        page_link_young(m, 1, n); /* lru, clock (behind the hand), two-list inactive */
    if (m->policy == SCN_RECLAIM_TWO_LIST)
        m->n[INACTIVE]++;
    return shadowed;
}

gboolean mdl_memory_touch(MdlMemory *m, uint64_t key) {
    uint32_t n = slot_node(find_slot(m, key));
    if (n == 0 || m->nodes[n].shadow)
        return FALSE;
    Node *x = &m->nodes[n];
    switch (m->policy) {
        case SCN_RECLAIM_LRU:
            page_unlink(m, n);
            page_link_young(m, 1, n);
            break;
        case SCN_RECLAIM_CLOCK:
            x->ref = 1;
            break;
        case SCN_RECLAIM_TWO_LIST:
            if (x->list == INACTIVE && x->ref) {
                page_unlink(m, n);
                page_link_young(m, 1 + ACTIVE, n);
                m->n[INACTIVE]--;
                m->n[ACTIVE]++;
                x->list = ACTIVE;
                x->ref = 0;
            } else {
                x->ref = 1;
            }
            break;
        default:
            if (x->gen != m->mru) {
                page_unlink(m, n);
                page_link_young(m, queue_of(m, m->mru), n);
                x->gen = m->mru;
            }
            break;
    }
    return TRUE;
}

/* Takes tracked page @n out of its lists and the count. */
static void untrack(MdlMemory *m, uint32_t n) {
    page_unlink(m, n);
    if (m->policy == SCN_RECLAIM_TWO_LIST)
        m->n[m->nodes[n].list]--;
    m->count--;
}

/* Tracked page @n was evicted: it becomes the youngest shadow, stamped @stamp
 * (and the oldest shadow goes if that makes one too many). */
static void evict_node(MdlMemory *m, uint32_t n, uint32_t stamp) {
    untrack(m, n);
    m->nodes[n].shadow = 1;
    m->nodes[n].gen = stamp;
    list_link_young(m, m->shadow_s, n);
    m->shadows++;
    drop_shadows(m);
}

gboolean mdl_memory_remove(MdlMemory *m, uint64_t key) {
    uint64_t *slot = find_slot(m, key);
    uint32_t n = slot_node(slot);
    if (n == 0 || m->nodes[n].shadow)
        return FALSE;
    untrack(m, n);
    free_node(m, slot, n);
    return TRUE;
}

gboolean mdl_memory_take_shadow(MdlMemory *m, uint64_t key, uint32_t *stamp) {
    uint64_t *slot = find_slot(m, key);
    uint32_t n = slot_node(slot);
    if (n == 0 || !m->nodes[n].shadow)
        return FALSE;
    *stamp = m->nodes[n].gen;
    list_unlink(m, n);
    m->shadows--;
    free_node(m, slot, n);
    return TRUE;
}

/* Two-list: moves pages from the old end of active to the young end of
 * inactive, unreferenced, while active is the longer list. */
static void deactivate(MdlMemory *m) {
    while (m->n[ACTIVE] > m->n[INACTIVE]) {
        uint32_t n = m->nodes[1 + ACTIVE].next;
        page_unlink(m, n);
        page_link_young(m, 1 + INACTIVE, n);
        m->nodes[n].list = INACTIVE;
        m->nodes[n].ref = 0;
        m->n[ACTIVE]--;
        m->n[INACTIVE]++;
    }
}

/* The node the policy evicts (second chances given on the way), or 0. */
static uint32_t pick(MdlMemory *m) {
    if (m->count == 0)
        return 0;
    switch (m->policy) {
        case SCN_RECLAIM_CLOCK:
            for (;;) {
                uint32_t n = m->nodes[1].next;
                if (!m->nodes[n].ref)
                    return n;
                m->nodes[n].ref = 0;
                page_unlink(m, n);
                page_link_young(m, 1, n);
            }
        case SCN_RECLAIM_TWO_LIST:
            deactivate(m);
            return m->nodes[1 + INACTIVE].next;
        case SCN_RECLAIM_PAGE_QUEUES:
            while (list_empty(m, queue_of(m, m->lru)))
                m->lru++;
            return m->nodes[queue_of(m, m->lru)].next;
        default:
            return m->nodes[1].next;
    }
}

gboolean mdl_memory_victim(MdlMemory *m, uint32_t stamp, uint64_t *key) {
    uint32_t n = pick(m);
    if (n == 0)
        return FALSE;
    *key = m->nodes[n].key;
    evict_node(m, n, stamp);
    return TRUE;
}

/* The policy lists in eviction order (old end of the first list first): at
 * most MDL_MEMORY_MAX_LISTS of them. */
static guint eviction_lists(const MdlMemory *m, uint32_t *out) {
    if (m->policy == SCN_RECLAIM_PAGE_QUEUES) {
        guint k = 0;
        for (uint32_t g = m->lru; g != m->mru + 1; g++)
            out[k++] = queue_of(m, g);
        return k;
    }
    for (guint i = 0; i < m->n_lists; i++)
        out[i] = 1 + i;
    return m->n_lists;
}

gboolean mdl_memory_victim_of_vmo(MdlMemory *m, guint vmo, uint32_t stamp, uint64_t *key) {
    g_return_val_if_fail(m->vl != NULL && vmo < m->n_vmos, FALSE);
    uint32_t lists[MDL_MEMORY_MAX_LISTS];
    guint k = eviction_lists(m, lists);
    for (guint i = 0; i < k; i++) {
        uint32_t vs = m->vbase + vmo * m->n_lists + (lists[i] - 1), n = m->vl[vs].next;
        if (n != vs) {
            *key = m->nodes[n].key;
            evict_node(m, n, stamp);
            return TRUE;
        }
    }
    return FALSE;
}

void mdl_memory_order(const MdlMemory *m, GArray *keys) {
    uint32_t lists[MDL_MEMORY_MAX_LISTS];
    guint k = eviction_lists(m, lists);
    for (guint i = 0; i < k; i++)
        for (uint32_t n = m->nodes[lists[i]].next; n != lists[i]; n = m->nodes[n].next)
            g_array_append_val(keys, m->nodes[n].key);
}

/* Moves the nodes of the circular list @from (sentinel) ahead of those of @to,
 * through the links at @links (prev and next of node i at links[i]). */
static void splice_ahead(Link *links, uint32_t from, uint32_t to) {
    if (links[from].next == from)
        return;
    uint32_t first = links[from].next, last = links[from].prev, old_first = links[to].next;
    links[to].next = first;
    links[first].prev = to;
    links[last].next = old_first;
    links[old_first].prev = last;
    links[from].next = links[from].prev = from;
}

/* Page-queues: a new newest queue; when the ring is full the oldest queue is
 * folded, ahead of its pages, into the next oldest (and so is each VMO's part
 * of it: O(VMOs) per rotation). */
void mdl_memory_age(MdlMemory *m) {
    if (m->policy != SCN_RECLAIM_PAGE_QUEUES)
        return;
    if (m->mru + 1 - m->lru >= m->n_lists) {
        uint32_t from = queue_of(m, m->lru), to = queue_of(m, m->lru + 1);
        if (!list_empty(m, from)) {
            uint32_t first = m->nodes[from].next, last = m->nodes[from].prev;
            uint32_t old_first = m->nodes[to].next;
            m->nodes[to].next = first;
            m->nodes[first].prev = to;
            m->nodes[last].next = old_first;
            m->nodes[old_first].prev = last;
            m->nodes[from].next = m->nodes[from].prev = from;
        }
        for (guint v = 0; m->vl && v < m->n_vmos; v++)
            splice_ahead(m->vl, m->vbase + v * m->n_lists + (from - 1),
                         m->vbase + v * m->n_lists + (to - 1));
        m->lru++;
    }
    m->mru++;
}

uint64_t mdl_memory_count(const MdlMemory *m) { return m->count; }

uint64_t mdl_memory_shadows(const MdlMemory *m) { return m->shadows; }

uint64_t mdl_memory_shadows_dropped(const MdlMemory *m) { return m->shadows_dropped; }
