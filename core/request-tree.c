/* core/request-tree.c: a 64-way radix tree over u64 keys with pooled nodes.
 *
 * It backs the PageSource outstanding tree (core/README.md §1), which the
 * simulator must keep fast with a million outstanding requests. A binary
 * search tree doubles its depth from a thousand entries to a million, and out
 * of cache every level is a dependent miss. Here a key is read six bits at a
 * time, most significant first, and a node's 64-bit occupancy bitmap answers
 * "the first child at or after this digit" with one count-trailing-zeros, so
 * the cost of a lookup depends on the size of the largest key (one level per
 * six bits), not on the number of entries. PageSource keys by the end in
 * pages, so a million one-page heads over 8 GiB need 4 levels, a thousand 2.
 *
 * Why a radix tree rather than a wide B+tree: the keys are dense small
 * integers (page numbers), so digits need no comparisons, nodes never split
 * or merge (a subtree covers a fixed key range), and a leaf never moves, so
 * an entry can point at its leaf and erase, replace and next start there.
 *
 * Invariants (checked by core__tree_check):
 * 1. Bit d of a node's bitmap is set iff slot[d] holds a child in use or an
 *    entry; no node in use is empty (an empty tree has no root). The one
 *    other slot that may be non-NULL is a parked child's (invariant 8).
 * 2. A node at shift s > 0 holds nodes at shift s - 6 in its slots; a node at
 *    shift 0 (a leaf) holds entries. Each child's parent and offset name its
 *    parent and slot; the root's parent is NULL.
 * 3. The entry in slot d of a leaf reached by digits d_h ... d_1 has key
 *    d_h ... d_1 d (base 64) and points back at that leaf and digit (its
 *    key is read from there, core__tree_entry_key). Hence in-order
 *    traversal (slots in ascending order, depth first) visits strictly
 *    increasing keys, and keys are unique.
 * 4. The height is minimal: the root is a leaf or has a child other than
 *    slot 0; a root at shift 60 uses only slots 0-15 (a key has 64 bits).
 * 5. count is the number of entries, nodes the number of nodes reachable from
 *    the root (in use or parked), and nodes <= capacity.
 * 6. Every node on the free list is empty (bitmap 0, so all slots NULL), and
 *    taking one needs no clearing. node_free asserts it; the checker does not
 *    walk the free list, which may be far longer than the tree.
 * 7. A node's prefix is the part of its keys above its digit (key >> (shift +
 *    6)); a free node's is G_MAXUINT64, which no key has. leaf_prefix is
 *    the prefix in a leaf and G_MAXUINT64 in any other node, so a hint is the
 *    leaf of key k iff its leaf_prefix is k >> 6: hints may go
 *    stale, but a stale one is never believed. Every node not free is in the
 *    tree, so a believed hint is a leaf in use or parked.
 * 8. Parking: a node above the leaves may keep one empty child, its parked
 *    child, in slot parked - 1 with the bit clear. A parked node is empty
 *    (bitmap 0) and may itself park one; leaves park nothing. Lookups read
 *    only bitmaps, so parked nodes are invisible to them. Below a node in
 *    use hangs one chain at most, one node per level below it, so the parked
 *    nodes number at most height - 1 per node in use above the leaves (which
 *    are 1/64 of the leaves or fewer when keys are dense).
 * 9. Deferred parking: tree->stale, if set, is a leaf in use with bitmap 0,
 *    the only empty node in use; invariants 1-8 hold as if it held an entry.
 *    The walks down by lowest bit (leftmost, first_within) that reach it go
 *    on after its subtree, so no lookup sees it.
 */
#include "core/request-tree-inline.h"

#define DIGIT_MASK ((guint64)CORE_TREE_FANOUT - 1)
#define MAX_SHIFT  CORE_TREE_MAX_SHIFT
#define BLOCK_MIN  4    /* Nodes in the first block; each next block doubles. */
#define BLOCK_MAX  1024 /* Cap on the nodes of a block (576 KiB). */

/* The digit of @key at a node of @shift. */
static inline guint digit(guint64 key, guint shift) { return (guint)((key >> shift) & DIGIT_MASK); }

/* TRUE if a node at @shift can hold @key: no digit of @key lies above it. */
static inline gboolean fits(guint shift, guint64 key) {
    return shift >= MAX_SHIFT || (key >> (shift + CORE_TREE_BITS)) == 0;
}

/* The bits of a bitmap strictly above digit @d (none when @d is 63). */
static inline guint64 above(guint d) { return ~(guint64)1 << d; }

/* The lowest set bit of non-zero @bitmap. */
static inline guint lowest(guint64 bitmap) { return (guint)__builtin_ctzll(bitmap); }

static inline CoreTreeNode *child_at(const CoreTreeNode *node, guint d) {
    return (CoreTreeNode *)node->slot[d];
}

static inline CoreTreeEntry *entry_at(const CoreTreeNode *leaf, guint d) {
    return (CoreTreeEntry *)leaf->slot[d];
}

/* The digit of linked @entry in its leaf. */
static inline guint entry_digit(const CoreTreeEntry *entry) {
    return (guint)(entry->at & DIGIT_MASK);
}

/* The key of the entry in slot @d of @leaf. */
static inline guint64 leaf_key(const CoreTreeNode *leaf, guint d) {
    return leaf->prefix << CORE_TREE_BITS | d;
}

/* Makes @entry name slot @d of @leaf. */
static inline void entry_set(CoreTreeEntry *entry, const CoreTreeNode *leaf, guint d) {
    entry->at = (guintptr)leaf | d;
}

G_STATIC_ASSERT(G_ALIGNOF(CoreTreeNode) >= CORE_TREE_FANOUT); /* Room for the digit. */

/* Never written: only its leaf_prefix is read, and it matches no key. */
const CoreTreeNode core__tree_nowhere = {.prefix = G_MAXUINT64, .leaf_prefix = G_MAXUINT64};

guint64 core__tree_entry_key(const CoreTreeEntry *entry) {
    return leaf_key(core__tree_entry_leaf(entry), entry_digit(entry));
}

/* Adds a block of empty nodes to the free list: BLOCK_MIN, then as many as
 * are allocated already (doubling), at most BLOCK_MAX. Nodes are listed in
 * address order so that consecutive allocations are adjacent. */
static void refill(CoreTree *tree) {
    gsize n = CLAMP(tree->capacity, BLOCK_MIN, BLOCK_MAX);
    CoreTreeNode *block = g_aligned_alloc0(n, sizeof(CoreTreeNode), G_ALIGNOF(CoreTreeNode));
    if (tree->blocks == NULL)
        tree->blocks = g_ptr_array_new_with_free_func(g_aligned_free);
    g_ptr_array_add(tree->blocks, block);
    for (gsize i = n; i-- > 0;) {
        block[i].prefix = G_MAXUINT64;
        block[i].leaf_prefix = G_MAXUINT64;
        block[i].parent = tree->free_nodes;
        tree->free_nodes = &block[i];
    }
    tree->capacity += n;
}

/* Takes an empty node from the pool and places it in slot @d of @parent
 * (nullable: the caller makes it the root) at @shift. */
static CoreTreeNode *node_new(CoreTree *tree, CoreTreeNode *parent, guint d, guint shift) {
    if (tree->free_nodes == NULL)
        refill(tree);
    CoreTreeNode *node = tree->free_nodes;
    tree->free_nodes = node->parent;
    node->parent = parent;
    node->shift = (guint8)shift;
    node->offset = (guint8)d;
    node->prefix = parent != NULL ? parent->prefix << CORE_TREE_BITS | d : 0;
    node->leaf_prefix = shift == 0 ? node->prefix : G_MAXUINT64;
    if (parent != NULL) {
        parent->slot[d] = node;
        parent->bitmap |= (guint64)1 << d;
    }
    tree->nodes++;
    return node;
}

/* Returns @node, which must be empty, to the pool. */
static void node_free(CoreTree *tree, CoreTreeNode *node) {
    g_assert(node->bitmap == 0 && node->parked == 0);
    node->prefix = G_MAXUINT64;
    node->leaf_prefix = G_MAXUINT64;
    node->parent = tree->free_nodes;
    tree->free_nodes = node;
    tree->nodes--;
}

/* Empties slot @d of @node. */
static inline void slot_clear(CoreTreeNode *node, guint d) {
    node->slot[d] = NULL;
    node->bitmap &= ~((guint64)1 << d);
}

void core__tree_init(CoreTree *tree) {
    for (guint i = 0; i < CORE_TREE_HINTS; i++)
        tree->hint[i] = CORE_TREE_NOWHERE;
    tree->finger = CORE_TREE_NOWHERE;
    tree->stale = NULL;
    tree->root = NULL;
    tree->count = 0;
    tree->nodes = 0;
    tree->capacity = 0;
    tree->free_nodes = NULL;
    tree->blocks = NULL;
}

void core__tree_clear(CoreTree *tree) {
    core__tree_flush(tree);
    g_return_if_fail(tree->count == 0 && tree->root == NULL);
    if (tree->blocks != NULL)
        g_ptr_array_unref(tree->blocks);
    core__tree_init(tree);
}

void core__tree_entry_clear(CoreTreeEntry *entry) { entry->at = 0; }

/* Puts a new root above the current one, which becomes its slot 0. */
static void grow(CoreTree *tree) {
    CoreTreeNode *old = tree->root;
    CoreTreeNode *top = node_new(tree, NULL, 0, old->shift + CORE_TREE_BITS);
    top->slot[0] = old;
    top->bitmap = 1;
    old->parent = top;
    old->offset = 0;
    tree->root = top;
}

/* Frees parked @node and the chain of nodes parked below it (invariant 8:
 * one child at most per node, so a chain). */
static void free_parked(CoreTree *tree, CoreTreeNode *node) {
    while (node != NULL) {
        CoreTreeNode *next = NULL;
        if (node->parked != 0) {
            next = child_at(node, node->parked - 1u);
            node->slot[node->parked - 1u] = NULL;
            node->parked = 0;
        }
        node_free(tree, node);
        node = next;
    }
}

/* Frees the child that @node has parked, if any. */
static inline void drop_parked(CoreTree *tree, CoreTreeNode *node) {
    if (node->parked != 0) {
        CoreTreeNode *child = child_at(node, node->parked - 1u);
        node->slot[node->parked - 1u] = NULL;
        node->parked = 0;
        free_parked(tree, child);
    }
}

/* Restores invariant 4 after an erase: while the root is an internal node
 * whose only child in use is slot 0, that child becomes the root (a child
 * the root parked goes with it). Leaves never move, so the entries' leaf
 * pointers stay valid. */
static void shrink(CoreTree *tree) {
    CoreTreeNode *root = tree->root;
    while (root->shift > 0 && root->bitmap == 1) {
        CoreTreeNode *child = child_at(root, 0);
        drop_parked(tree, root);
        slot_clear(root, 0);
        node_free(tree, root);
        child->parent = NULL;
        root = child;
    }
    tree->root = root;
}

/* TRUE if @node (a hint or the finger) is the leaf of @key: invariant 7. */
static inline gboolean is_leaf_of(const CoreTreeNode *node, guint64 key) {
    return node->leaf_prefix == key >> CORE_TREE_BITS;
}

/* The hint slot of the leaf that holds (or would hold) @key. */
static inline CoreTreeNode **hint_slot(const CoreTree *tree, guint64 key) {
    return core__tree_hint_slot(tree, key);
}

/* The leaf for @key, reached from the root: the tree grows until @key fits,
 * and on the way down a parked child is taken back and a missing one
 * created, so every node on the path is in use when it returns. */
static CoreTreeNode *leaf_for(CoreTree *tree, guint64 key) {
    if (tree->root == NULL) {
        /* The first entry: a root just high enough for @key. */
        guint shift = 0;
        while (!fits(shift, key))
            shift += CORE_TREE_BITS;
        tree->root = node_new(tree, NULL, 0, shift);
    }
    while (!fits(tree->root->shift, key))
        grow(tree);
    CoreTreeNode *node = tree->root;
    for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS) {
        guint d = digit(key, shift);
        if (node->bitmap >> d & 1) {
            node = child_at(node, d);
        } else if (node->parked == d + 1u) {
            node->bitmap |= (guint64)1 << d;
            node->parked = 0;
            node = child_at(node, d);
        } else {
            node = node_new(tree, node, d, shift - CORE_TREE_BITS);
        }
    }
    return node;
}

/* Takes parked @node back into use, with the ancestors it was parked under:
 * each parent sets the bit again, up to the first one already in use. A
 * parked node is its parent's parked child (invariant 8), so that parent
 * parks nothing afterwards. */
void core__tree_unpark(CoreTreeNode *node) {
    for (CoreTreeNode *p = node->parent; p != NULL; node = p, p = p->parent) {
        gboolean was_empty = p->bitmap == 0;
        p->bitmap |= (guint64)1 << node->offset;
        p->parked = 0;
        if (!was_empty)
            return;
    }
}

/* The leaf of @key with its path in use. A leaf named by the finger or a
 * hint (invariant 7) is in the tree, in use or parked, so the insert goes
 * straight to it, and a parked one is taken back with its parked ancestors;
 * a sequential scan's next key lands there 63 times in 64. Else leaf_for. */
static inline CoreTreeNode *leaf_in_use(CoreTree *tree, guint64 key) {
    CoreTreeNode *node = tree->finger;
    if (!is_leaf_of(node, key)) {
        CoreTreeNode **hint = hint_slot(tree, key);
        node = *hint;
        if (!is_leaf_of(node, key))
            return *hint = leaf_for(tree, key);
    }
    if (node->bitmap == 0 && node != tree->stale)
        core__tree_unpark(node);
    return node;
}

void core__tree_insert(CoreTree *tree, CoreTreeEntry *entry, const guint64 key) {
    g_assert(entry->at == 0);
    CoreTreeNode *node = leaf_in_use(tree, key);
    if (node == tree->stale)
        tree->stale = NULL; /* In use already, and no longer empty. */
    guint d = digit(key, 0);
    g_assert(!(node->bitmap >> d & 1)); /* Keys are unique. */
    node->slot[d] = entry;
    node->bitmap |= (guint64)1 << d;
    entry_set(entry, node, d);
    tree->count++;
}

/* @node has just become empty: its parent parks it (dropping the child it
 * parked before, if any), and so on up while a parent is left empty too. An
 * empty root means an empty tree: every node of the chain is freed. */
void core__tree_park(CoreTree *tree, CoreTreeNode *node) {
    for (;;) {
        CoreTreeNode *parent = node->parent;
        if (parent == NULL) {
            free_parked(tree, node);
            tree->root = NULL;
            return;
        }
        drop_parked(tree, parent);
        parent->bitmap &= ~((guint64)1 << node->offset);
        parent->parked = (guint8)(node->offset + 1u);
        if (parent->bitmap != 0) {
            if (parent == tree->root)
                shrink(tree);
            return;
        }
        node = parent;
    }
}

void core__tree_flush(CoreTree *tree) {
    CoreTreeNode *stale = tree->stale;
    if (stale != NULL) {
        tree->stale = NULL;
        core__tree_park(tree, stale);
    }
}

void core__tree_erase(CoreTree *tree, CoreTreeEntry *entry) {
    core__tree_flush(tree);
    CoreTreeNode *node = core__tree_unlink(tree, entry);
    if (node->bitmap == 0)
        core__tree_park(tree, node);
}

void core__tree_replace(CoreTree *tree, CoreTreeEntry *old, CoreTreeEntry *replacement) {
    CoreTreeNode *leaf = core__tree_entry_leaf(old);
    guint d = entry_digit(old);
    g_assert(tree->root != NULL && leaf != NULL && replacement->at == 0);
    g_assert(entry_at(leaf, d) == old);
    leaf->slot[d] = replacement;
    replacement->at = old->at;
    old->at = 0;
}

/* The leaf of the smallest key under non-empty @node: the lowest set digit at
 * every level. */
static const CoreTreeNode *leftmost_leaf(const CoreTreeNode *node) {
    for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS)
        node = child_at(node, lowest(node->bitmap));
    return node;
}

static CoreTreeEntry *after_subtree(const CoreTreeNode *node);

/* The entry with the smallest key under non-empty @node, or, if the leaf
 * reached is the stale one (invariant 9), the first after it. */
static CoreTreeEntry *leftmost(const CoreTreeNode *node) {
    node = leftmost_leaf(node);
    if (G_UNLIKELY(node->bitmap == 0))
        return after_subtree(node);
    return entry_at(node, lowest(node->bitmap));
}

/* The first entry after the whole subtree of @node: up to the nearest
 * ancestor with a child after the path's digit, then its leftmost entry. */
static CoreTreeEntry *after_subtree(const CoreTreeNode *node) {
    for (const CoreTreeNode *p = node->parent; p != NULL; node = p, p = p->parent) {
        guint64 later = p->bitmap & above(node->offset);
        if (later != 0)
            return leftmost(child_at(p, lowest(later)));
    }
    return NULL;
}

/* The smallest key the subtree in slot @d of @node can hold. */
static inline guint64 slot_min_key(const CoreTreeNode *node, guint d) {
    return (node->prefix << CORE_TREE_BITS | d) << node->shift;
}

static CoreTreeEntry *after_subtree_within(const CoreTreeNode *node, guint64 limit);

/* The leftmost entry of the subtree in slot @d of @node if its key is at most
 * @limit; NULL otherwise. The subtree's smallest possible key is checked first,
 * so a subtree wholly above @limit is not entered. The stale leaf (invariant
 * 9) is stepped over. */
static CoreTreeEntry *first_within(const CoreTreeNode *node, guint d, guint64 limit) {
    if (slot_min_key(node, d) > limit)
        return NULL;
    if (node->shift == 0)
        return entry_at(node, d);
    const CoreTreeNode *leaf = leftmost_leaf(child_at(node, d));
    if (G_UNLIKELY(leaf->bitmap == 0))
        return after_subtree_within(leaf, limit);
    guint e = lowest(leaf->bitmap);
    return leaf_key(leaf, e) <= limit ? entry_at(leaf, e) : NULL;
}

/* after_subtree, bounded: NULL as soon as the keys after @node's subtree
 * exceed @limit, which spares the climb when @limit lies inside it. */
static CoreTreeEntry *after_subtree_within(const CoreTreeNode *node, guint64 limit) {
    for (const CoreTreeNode *p = node->parent; p != NULL; node = p, p = p->parent) {
        guint64 last = slot_min_key(p, node->offset) | (((guint64)1 << p->shift) - 1);
        if (last >= limit)
            return NULL;
        guint64 later = p->bitmap & above(node->offset);
        if (later != 0)
            return first_within(p, lowest(later), limit);
    }
    return NULL;
}

/* The hot path of every GetPage and supply. Going down, the child on @key's
 * digit is taken while it exists; where it does not, the next set bit of the
 * same bitmap gives the answer's subtree at once. Only when @key's own
 * subtree holds nothing greater does the search climb
 * (after_subtree_within). The shift is counted down rather than read from
 * each node, so that a level costs one dependent load (the slot), not two.
 * Before all that, a hinted leaf that invariant 7 proves to be @key's own
 * skips the descent: writing the hint through a const tree is sound because
 * the hints are a cache that no other operation reads as content. Where the
 * answer's subtree can only hold keys above @limit, the search stops without
 * going down to it. */
CoreTreeEntry *core__tree_upper_bound_within(const CoreTree *tree, guint64 key, guint64 limit) {
    if (limit <= key)
        return NULL;
    CoreTreeNode **hint = hint_slot(tree, key);
    const CoreTreeNode *node = *hint;
    if (!is_leaf_of(node, key)) {
        node = tree->root;
        if (node == NULL || !fits(node->shift, key))
            return NULL;
        for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS) {
            guint d = digit(key, shift);
            if (!(node->bitmap >> d & 1)) {
                guint64 later = node->bitmap & above(d);
                return later != 0 ? first_within(node, lowest(later), limit)
                                  : after_subtree_within(node, limit);
            }
            node = child_at(node, d);
        }
        *hint = (CoreTreeNode *)node;
    }
    guint64 later = node->bitmap & above(digit(key, 0));
    if (later != 0)
        return first_within(node, lowest(later), limit);
    /* The first step of after_subtree_within, without the call: the leaf's
     * last possible key already reaches @limit (a GetPage's usual miss). */
    if ((node->prefix << CORE_TREE_BITS | DIGIT_MASK) >= limit)
        return NULL;
    return after_subtree_within(node, limit);
}

/* The exact lookup when the hint does not name the leaf: the path down
 * while the digits' bits are set (a missing child means a missing key;
 * parked nodes hold nothing). The leaf reached becomes the hint and the
 * finger. */
CoreTreeEntry *core__tree_find_slow(const CoreTree *tree, guint64 key) {
    CoreTreeNode *node = tree->root;
    if (node == NULL || !fits(node->shift, key))
        return NULL;
    for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS) {
        guint d = digit(key, shift);
        if (!(node->bitmap >> d & 1))
            return NULL;
        node = child_at(node, d);
    }
    *hint_slot(tree, key) = node;
    ((CoreTree *)tree)->finger = node;
    guint d = digit(key, 0);
    return (node->bitmap >> d & 1) ? entry_at(node, d) : NULL;
}

/* No ceiling: every key is at most G_MAXUINT64, so the bounded search finds
 * what the unbounded one would. */
CoreTreeEntry *core__tree_upper_bound(const CoreTree *tree, guint64 key) {
    return core__tree_upper_bound_within(tree, key, G_MAXUINT64);
}

CoreTreeEntry *core__tree_first(const CoreTree *tree) {
    return tree->root != NULL ? leftmost(tree->root) : NULL;
}

/* Starts at the entry's own leaf: usually the next entry shares it. */
CoreTreeEntry *core__tree_next(const CoreTreeEntry *entry) {
    const CoreTreeNode *leaf = core__tree_entry_leaf(entry);
    g_assert(leaf != NULL);
    guint64 later = leaf->bitmap & above(entry_digit(entry));
    return later != 0 ? entry_at(leaf, lowest(later)) : after_subtree(leaf);
}

guint core__tree_height(const CoreTree *tree) {
    return tree->root != NULL ? tree->root->shift / CORE_TREE_BITS + 1u : 0;
}
