/* core/request-tree-inline.h: the radix tree's operations on the fault
 * path, inline (internal to core/).
 *
 * GetPage and a supply each run an exact lookup, then an insert or an erase,
 * once a fault. Their common cases are a few instructions each: the lookup
 * through a hinted leaf, the insert into the leaf the lookup just reached
 * (the finger), the erase. These are written here so that the page source
 * can inline them; the rest (a descent, parking and taking back, growing
 * and shrinking) stays out of line in request-tree.c, whose invariants hold
 * unchanged: the inline paths do what the full operations do, except that
 * the inline erase defers the park of a leaf it empties (request-tree.h,
 * deferred parking), as the next insert usually fills that leaf again.
 */
#pragma once

#include "core/request-tree.h"

G_BEGIN_DECLS

/* The hint slot of the leaf that holds (or would hold) @key: a multiplicative
 * hash of the leaf's prefix. */
static inline CoreTreeNode **core__tree_hint_slot(const CoreTree *tree, guint64 key) {
    guint64 h = (key >> CORE_TREE_BITS) * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    return (CoreTreeNode **)&tree->hint[h >> (64 - CORE_TREE_HINT_BITS)];
}

/* Returns the entry with key @key, or NULL if there is none. Never
 * allocates; O(1) through the finger (the leaf of the last lookup: a run of
 * new pages, or a supply close behind its fault, stays in one leaf), else a
 * hint (inline, as it runs twice a fault), else one node per level down, as
 * core__tree_upper_bound. Either way the leaf reached becomes the finger (a
 * cache, written through the const tree as the hints are). */
static inline CoreTreeEntry *core__tree_find(const CoreTree *tree, guint64 key) {
    CoreTreeNode *node = tree->finger;
    if (node->leaf_prefix != key >> CORE_TREE_BITS) {
        node = *core__tree_hint_slot(tree, key);
        if (G_UNLIKELY(node->leaf_prefix != key >> CORE_TREE_BITS))
            return core__tree_find_slow(tree, key);
        ((CoreTree *)tree)->finger = node;
    }
    /* A leaf's slot is NULL exactly when its bit is clear (invariant 1 of
     * request-tree.c: leaves park nothing, and an unlink clears the slot), so
     * the slot alone is the answer. */
    return (CoreTreeEntry *)node->slot[key & (CORE_TREE_FANOUT - 1)];
}

/* core__tree_find that also sets *@leaf to the leaf holding the entry it
 * returns (left unset when it returns NULL), for core__tree_erase_found. */
static inline CoreTreeEntry *core__tree_find_leaf(const CoreTree *tree, guint64 key,
                                                  CoreTreeNode **leaf) {
    CoreTreeNode *node = tree->finger;
    if (node->leaf_prefix != key >> CORE_TREE_BITS) {
        node = *core__tree_hint_slot(tree, key);
        if (G_UNLIKELY(node->leaf_prefix != key >> CORE_TREE_BITS)) {
            CoreTreeEntry *entry = core__tree_find_slow(tree, key);
            if (entry != NULL)
                *leaf = core__tree_entry_leaf(entry);
            return entry;
        }
        ((CoreTree *)tree)->finger = node;
    }
    *leaf = node;
    return (CoreTreeEntry *)node->slot[key & (CORE_TREE_FANOUT - 1)];
}

/* Parks the leaf whose park core__tree_erase_inline deferred, if any
 * (request-tree.c). */
void core__tree_flush(CoreTree *tree);

/* Takes parked leaf @leaf back into use with its parked ancestors
 * (request-tree.c). */
void core__tree_unpark(CoreTreeNode *leaf);

/* Parks @leaf, which an erase has emptied (in use, bitmap 0, not the stale
 * leaf), and the ancestors it leaves empty; frees every node if the tree is
 * now empty (request-tree.c). */
void core__tree_park(CoreTree *tree, CoreTreeNode *leaf);

/* core__tree_insert, inline when @key's leaf is the finger (in use, or
 * parked: then taken back out of line); otherwise the full insert. */
static inline void core__tree_insert_inline(CoreTree *tree, CoreTreeEntry *entry, guint64 key) {
    CoreTreeNode *node = tree->finger;
    if (G_UNLIKELY(node->leaf_prefix != key >> CORE_TREE_BITS)) {
        core__tree_insert(tree, entry, key);
        return;
    }
    guint d = (guint)(key & (CORE_TREE_FANOUT - 1));
    g_assert(entry->at == 0 && !(node->bitmap >> d & 1)); /* Keys are unique. */
    if (node->bitmap == 0) {
        /* The leaf whose park was deferred is still in use: it only stops
         * being stale. Any other empty leaf is parked. */
        if (node == tree->stale)
            tree->stale = NULL;
        else
            core__tree_unpark(node);
    }
    node->slot[d] = entry;
    node->bitmap |= (guint64)1 << d;
    entry->at = (guintptr)node | d;
    tree->count++;
}

/* Removes linked @entry from its leaf and clears it. Returns the leaf. */
static inline CoreTreeNode *core__tree_unlink(CoreTree *tree, CoreTreeEntry *entry) {
    CoreTreeNode *node = core__tree_entry_leaf(entry);
    guint d = (guint)(entry->at & (CORE_TREE_FANOUT - 1));
    g_assert(node != NULL && node->slot[d] == entry);
    node->slot[d] = NULL;
    node->bitmap &= ~((guint64)1 << d);
    entry->at = 0;
    tree->count--;
    return node;
}

/* The end of an inline erase: @node, the leaf an entry just left, becomes
 * the stale leaf if it is empty, and the previous stale leaf, if any, is
 * parked now (out of line). */
static inline void core__tree_erased_from(CoreTree *tree, CoreTreeNode *node) {
    if (node->bitmap == 0) {
        CoreTreeNode *old = tree->stale;
        tree->stale = node;
        if (old != NULL)
            core__tree_park(tree, old);
    }
}

/* core__tree_erase, inline, except that a leaf left empty is not parked but
 * becomes the stale leaf (CoreTree.stale), and the previous stale leaf, if
 * any, is parked now (out of line). */
static inline void core__tree_erase_inline(CoreTree *tree, CoreTreeEntry *entry) {
    core__tree_erased_from(tree, core__tree_unlink(tree, entry));
}

/* core__tree_erase_inline of @entry, which core__tree_find_leaf has just
 * returned for @key with its leaf @leaf (the tree unchanged since): its slot
 * is known without reading its handle. */
static inline void core__tree_erase_found(CoreTree *tree, CoreTreeNode *leaf, guint64 key,
                                          CoreTreeEntry *entry) {
    guint d = (guint)(key & (CORE_TREE_FANOUT - 1));
    g_assert(leaf->slot[d] == entry);
    leaf->slot[d] = NULL;
    leaf->bitmap &= ~((guint64)1 << d);
    entry->at = 0;
    tree->count--;
    core__tree_erased_from(tree, leaf);
}

G_END_DECLS
