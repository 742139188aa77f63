/* core/request-tree.h: the ordered index behind the outstanding tree
 * (internal to core/).
 *
 * PageSource keeps its head requests in an ordered map keyed by the END of
 * each request and only ever needs insert, erase, in-place replacement,
 * ordered iteration, upper_bound and (while every head is one page) an exact
 * find (core/README.md §1). This is a 64-way radix
 * tree over a u64 key (PageSource uses the end offset in pages), in the manner
 * of Linux's radix tree / xarray: each node holds an occupancy bitmap and 64
 * slots, the height grows and shrinks with the largest key, and a lookup costs
 * one node per 6 bits of that key, whatever the number of entries.
 *
 * Ownership: the entries (CoreTreeEntry) are embedded in their owners; the
 * nodes belong to the tree, which takes them from a pooled free list refilled
 * by whole blocks, so that steady-state inserts do not call the allocator.
 * Freed nodes go back to that list, never to the allocator, until
 * core__tree_clear gives the blocks back (PageSource does so when freed).
 *
 * Parking: a node that an erase leaves empty is not freed but parked: its
 * parent clears the bitmap bit and keeps the slot, so that an insert near
 * the same key (a thread faulting the next page) takes the node back by
 * setting bits again instead of freeing and rebuilding a path, and a hinted
 * upper_bound in it stays valid. A node parks at most one child (parking
 * another frees the old one first), so at most one chain of parked nodes
 * hangs below each node in use above the leaves; an erase that empties the
 * tree frees them all.
 *
 * Deferred parking: core__tree_erase_inline, the erase of a supply, leaves
 * one leaf it empties in use (CoreTree.stale) and parks it only when another
 * leaf empties or another operation changes the tree, since the next insert
 * (the same thread's next page) usually goes back into it. The tree then
 * looks as if that leaf held an entry: every invariant holds in that view,
 * the leaf is the one empty node in use, and lookups step over it.
 *
 * Memory: a node is 576 bytes. Neighbouring keys share leaves (a million
 * heads on alternate pages: 33,000 nodes, 19 MB); scattered keys cost up to a
 * leaf each, plus the few levels above it that they do not share.
 *
 * Complexity, with h = the height (ceil of the largest key's bit length / 6,
 * at most 11; 4 for a million one-page heads over 8 GiB): upper_bound, find,
 * insert and first are O(h), O(1) when a hint or the finger names the leaf
 * (an insert then takes back the parked nodes above it, O(h) at worst);
 * erase, replace and next are O(1) unless they empty a leaf or cross an
 * empty subtree (then O(h)); nothing but an insert allocates. Memory: the
 * parked nodes add at most h - 1 per node in use above the leaves.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Digits of the key per level, and slots per node. */
#define CORE_TREE_BITS   6
#define CORE_TREE_FANOUT 64
/* The shift of the highest level (11 levels cover 66 bits). */
#define CORE_TREE_MAX_SHIFT 60

typedef struct _CoreTreeEntry CoreTreeEntry;
typedef struct _CoreTreeNode CoreTreeNode;

/* The intrusive handle, embedded in each indexed object: one word, the leaf
 * holding the entry with the entry's digit (the key's lowest six bits) in the
 * low bits, which are free since nodes are 64-byte aligned. The key itself is
 * the leaf's prefix and that digit, so the entry does not store it (8 bytes
 * per entry rather than 16: a simulation may hold a million heads). */
struct _CoreTreeEntry {
    guintptr at; /* Leaf address | digit; 0 iff in no tree. */
};

/* A node of the tree. Private to request-tree.c; public for the tests only. */
struct _CoreTreeNode {
    /* Bit d set iff slot[d] is not NULL. Nodes are 64-byte aligned, so the
     * header and slots 0-3 share a cache line: a level of a lookup touches
     * at most two lines. */
    _Alignas(64) guint64 bitmap;
    CoreTreeNode *parent; /* NULL at the root; the free list's link when free. */
    guint64 prefix;       /* Keys under it >> (shift + 6); G_MAXUINT64 while free. */
    guint64 leaf_prefix;  /* prefix in a leaf, else (free, or above the leaves) G_MAXUINT64:
                             checking a hint is one comparison. */
    guint8 shift;         /* Bits of the key below this node's digit: 0 in a leaf. */
    guint8 offset;        /* This node's slot in its parent (0 at the root). */
    guint8 parked;        /* 1 + the digit of this node's parked child, 0 if none. */
    /* Children (CoreTreeNode *) above the leaves, entries (CoreTreeEntry *) in
     * the leaves. */
    gpointer slot[CORE_TREE_FANOUT];
};

/* Leaves remembered for upper_bound and find (a power of two,
 * 2^CORE_TREE_HINT_BITS): enough that the leaves of a few hundred threads
 * faulting in their own ranges rarely evict each other's (8 KiB per source;
 * with 256, 64 such threads missed a tenth of their lookups). */
#define CORE_TREE_HINT_BITS 10
#define CORE_TREE_HINTS     (1u << CORE_TREE_HINT_BITS)

typedef struct {
    CoreTreeNode *root;       /* NULL when empty. */
    gsize count;              /* Number of entries. */
    gsize nodes;              /* Nodes in the tree, in use or parked. */
    gsize capacity;           /* Nodes allocated, in use or free. */
    CoreTreeNode *free_nodes; /* Free list, linked through parent. */
    GPtrArray *blocks;        /* The node blocks (nullable); owned. */
    /* The leaf core__tree_find last reached: lookups and the next insert,
     * usually of a key near the last one, try it before the hints. A cache
     * as the hints are, checked the same way. */
    CoreTreeNode *finger;
    /* A leaf that core__tree_erase_inline emptied and has not parked yet
     * (nullable): still in use, its bit set in its parent, as if it held an
     * entry. An insert into it takes it back for free (a thread faulting its
     * next page); any other erase parks it first. Lookups step over it. */
    CoreTreeNode *stale;
    /* Leaves recently reached, by a hash of their prefix: a cache that
     * upper_bound checks before use and refreshes, never the tree itself. */
    CoreTreeNode *hint[CORE_TREE_HINTS];
} CoreTree;

/* What the finger and the hints name when they name no leaf (never NULL, so
 * that checking one is a comparison): a node whose leaf_prefix no key has. */
extern const CoreTreeNode core__tree_nowhere;
#define CORE_TREE_NOWHERE ((CoreTreeNode *)&core__tree_nowhere)

/* Makes @tree empty. Allocates nothing. */
void core__tree_init(CoreTree *tree);

/* Frees the node memory of @tree, which must be empty (a deferred park is
 * done first), and leaves it as core__tree_init does. Accepts a tree that
 * never had an entry. */
void core__tree_clear(CoreTree *tree);

/* Marks @entry as being in no tree. */
void core__tree_entry_clear(CoreTreeEntry *entry);

/* Returns TRUE if @entry is in a tree. */
static inline gboolean core__tree_entry_is_linked(const CoreTreeEntry *entry) {
    return entry->at != 0;
}

/* Returns the leaf holding linked @entry (NULL if it is in no tree). */
static inline CoreTreeNode *core__tree_entry_leaf(const CoreTreeEntry *entry) {
    return (CoreTreeNode *)(entry->at & ~(guintptr)(CORE_TREE_FANOUT - 1));
}

/* Returns the key of linked @entry (read from its leaf). */
guint64 core__tree_entry_key(const CoreTreeEntry *entry);

/* Inserts @entry (not linked) under @key, which is not present in @tree.
 * The only operation that may allocate (a block of nodes when the free list
 * is empty). */
void core__tree_insert(CoreTree *tree, CoreTreeEntry *entry, guint64 key);

/* Removes @entry from @tree and clears it; parks the nodes left empty (frees
 * them all when the tree empties) and lowers the tree if its largest key
 * allows, after parking the leaf whose park core__tree_erase_inline
 * deferred, if any. Other entries are untouched. */
void core__tree_erase(CoreTree *tree, CoreTreeEntry *entry);

/* Puts @replacement (not linked) where @old is, under @old's key, and clears
 * @old. O(1). */
void core__tree_replace(CoreTree *tree, CoreTreeEntry *old, CoreTreeEntry *replacement);

/* Returns the entry with the smallest key strictly greater than @key.
 * Returns NULL if there is none.
 * Never allocates. Starts at @key's leaf when a hint names it (keys near a
 * recent lookup or insert: O(1)); otherwise reads one node per level down.
 * On a miss it climbs to the nearest ancestor with a later child, then goes
 * down its leftmost path. Updates the hints only, not the tree. */
CoreTreeEntry *core__tree_upper_bound(const CoreTree *tree, guint64 key);

/* Returns the entry with the smallest key in (@key, @limit], or NULL if there
 * is none. Never allocates. As core__tree_upper_bound, but a subtree whose
 * keys all exceed @limit is neither entered nor climbed past: with @limit
 * near @key the answer "none" costs the hint or the levels down to where
 * @key's path ends, not a walk to the next entry. */
CoreTreeEntry *core__tree_upper_bound_within(const CoreTree *tree, guint64 key, guint64 limit);

/* core__tree_find (exact lookup) is in core/request-tree-inline.h. */
CoreTreeEntry *core__tree_find_slow(const CoreTree *tree, guint64 key);

/* Returns the entry with the smallest key.
 * Returns NULL if @tree is empty. */
CoreTreeEntry *core__tree_first(const CoreTree *tree);

/* Returns the entry after linked @entry in key order.
 * Returns NULL after the last one. */
CoreTreeEntry *core__tree_next(const CoreTreeEntry *entry);

/* Returns the number of levels (0 when empty, 1 for a single leaf). */
guint core__tree_height(const CoreTree *tree);

/* Checks the invariants listed in request-tree.c (structure, bitmaps,
 * parked nodes, back links, keys against their slots, minimal height and the
 * counters); in request-tree-check.c.
 * O(nodes * 64), recursion depth at most 11, no allocation unless a violation
 * is found.
 * Returns TRUE if the tree is well formed.
 * Returns FALSE and appends a description to @why (nullable) otherwise. */
gboolean core__tree_check(const CoreTree *tree, GString *why);

G_END_DECLS
